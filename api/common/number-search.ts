import { z } from 'zod';

/** `q` of a list of numbers: digits of a number, as a person types them ("0532 1", "+90 (532)"). */
export const NumberSearch = z
  .string()
  .trim()
  .regex(/^\+?[\d\s()-]{1,20}$/, 'digits of the number, such as 5321 or +90 532')
  .describe('digits of the number, anywhere in it');

/** The digits a search matches, or undefined when it has none. */
export const searchDigits = (q: string | undefined): string | undefined => q?.replace(/\D/g, '') || undefined;
