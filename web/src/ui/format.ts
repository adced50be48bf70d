import { format, formatDistanceStrict } from 'date-fns';
import { enGB, tr } from 'date-fns/locale';
import i18n from '../i18n/i18n';

const locale = () => (i18n.resolvedLanguage === 'tr' ? tr : enGB);

export const formatTime = (iso: string | null | undefined) => (iso ? format(new Date(iso), 'PPp', { locale: locale() }) : '—');
export const formatClock = (iso: string) => format(new Date(iso), 'HH:mm:ss', { locale: locale() });
export const formatSeconds = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? '—' : formatDistanceStrict(0, seconds * 1000, { locale: locale(), unit: seconds < 60 ? 'second' : undefined });
export const formatNumber = (value: number) => new Intl.NumberFormat(i18n.resolvedLanguage).format(value);
