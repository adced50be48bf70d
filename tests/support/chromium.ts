import { chromium as playwright, type Browser } from 'playwright-core';

/**
 * Flags of @sparticuz/chromium's defaults (made for AWS Lambda) that would make the tests lie:
 * one process shares cookies and storage between contexts, and web security off hides CORS.
 */
const LAMBDA_ONLY_FLAGS = new Set([
  '--single-process',
  '--no-zygote',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

/**
 * Chromium from the @sparticuz/chromium package (it ships in npm, since no browser can be
 * downloaded here), driven by playwright-core.
 */
export async function launchBrowser(): Promise<Browser> {
  const { default: chromium } = await import('@sparticuz/chromium'); // ESM only
  const args = chromium.args.filter((flag) => !LAMBDA_ONLY_FLAGS.has(flag) && !flag.startsWith('--headless'));
  return playwright.launch({ executablePath: await chromium.executablePath(), args, headless: true });
}
