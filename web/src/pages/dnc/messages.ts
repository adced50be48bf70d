import { messages } from '../../i18n/messages';

export const dnc = messages({ title: '' }, { title: '' });
