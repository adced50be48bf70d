import { messages } from '../../i18n/messages';

export const calls = messages({ title: '' }, { title: '' });
