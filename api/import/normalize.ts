/**
 * Header text → comparison key: Turkish-aware lower case, diacritics folded, bracketed notes and
 * punctuation dropped. "Son Ödeme Tarihi (TL)" → "son odeme tarihi"; "İSİM" → "isim".
 */
export function headerKey(header: string): string {
  return header
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .toLocaleLowerCase('tr')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Canonical variable names the call scripts use, with the headers that mean them. */
const VARIABLE_SYNONYMS: Record<string, string[]> = {
  amount: [
    'tutar',
    'borc',
    'borc tutari',
    'fatura tutari',
    'odenecek tutar',
    'toplam tutar',
    'bakiye',
    'amount',
    'balance',
    'amount due',
    'debt',
    'total',
  ],
  due_date: [
    'son odeme',
    'son odeme tarihi',
    'vade',
    'vade tarihi',
    'odeme tarihi',
    'due date',
    'due',
    'payment due',
    'payment due date',
  ],
  appointment_date: ['randevu', 'randevu tarihi', 'appointment', 'appointment date'],
  appointment_time: ['randevu saati', 'saat', 'appointment time'],
  tracking_number: [
    'takip',
    'takip no',
    'takip numarasi',
    'kargo takip',
    'kargo takip no',
    'kargo takip numarasi',
    'gonderi no',
    'tracking',
    'tracking no',
    'tracking number',
    'tracking code',
  ],
  invoice_number: ['fatura no', 'fatura numarasi', 'invoice', 'invoice no', 'invoice number'],
  company: ['firma', 'sirket', 'kurum', 'company'],
  email: ['e posta', 'eposta', 'email', 'e mail', 'mail'],
};

const SYNONYM_TO_VARIABLE = new Map<string, string>(
  Object.entries(VARIABLE_SYNONYMS).flatMap(([variable, keys]) =>
    keys.map((key) => [key, variable] as const),
  ),
);

/**
 * The variable name a column is known by when the mapping does not name it: a canonical name for
 * known headers ("Son Ödeme Tarihi" → due_date), else the snake-cased key ("Şube Adı" → sube_adi).
 */
export function variableNameFor(header: string): string {
  const key = headerKey(header);
  return SYNONYM_TO_VARIABLE.get(key) ?? (key.replace(/ /g, '_') || 'column');
}
