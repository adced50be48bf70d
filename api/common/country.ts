import { z } from 'zod';
import { isKnownCountry } from '../../domain/phone';

/**
 * The country of numbers written without a country code: two capitals that the phone rules know,
 * checked here so that `ZZ` is a 400 on the field, not a 500 from the first number read.
 */
export const DefaultCountrySchema = z
  .string()
  // One message per field: a malformed code is not also reported as unknown.
  .regex(/^[A-Z]{2}$/, { message: 'expected an ISO 3166 alpha-2 country code such as TR', abort: true })
  .refine(isKnownCountry, 'no such country in the phone numbering plans')
  .default('TR')
  .describe('ISO 3166 alpha-2 country of numbers written without a country code');
