import { messages } from '../../i18n/messages';

export const inbox = messages({ title: '' }, { title: '' });
