import { messages } from '../../i18n/messages';

export const wizard = messages({ title: '' }, { title: '' });
