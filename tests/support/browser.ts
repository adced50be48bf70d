import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { hashPassword } from '../../api/auth/passwords';
import { insertUser } from '../../schema/repositories/users.repository';

export { launchBrowser } from './chromium';

export const SCREENSHOTS = join(__dirname, '..', 'browser', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

/** A fresh browser profile (no cookies) at the console's size, in `locale`. */
export function newContext(browser: Browser, baseURL: string, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: VIEWPORT, locale, acceptDownloads: true });
}

/** Signs in through the form, as a person does, and waits for the signed-in header. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/^(Email|E-posta)$/).fill(email);
  await page.getByLabel(/^(Password|Parola)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Giriş yap)$/ }).click();
  await page.getByRole('button', { name: /^(Sign out|Çıkış yap)$/ }).waitFor();
}

/** A 1280×800 screenshot into tests/browser/screenshots (not committed; look at them after a run). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** axe-core on the page as it is now: no serious or critical violation of WCAG 2.1 A/AA. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
  expect(serious, `accessibility of ${what}`).toEqual([]);
}

/** A console user of `tenantId` with `role`, made directly (the admin API is tested elsewhere). */
export async function consoleUser(
  db: Parameters<typeof insertUser>[0],
  tenantId: string,
  role: 'admin' | 'manager' | 'viewer',
): Promise<{ email: string; password: string }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  await insertUser(db, { tenantId, email, passwordHash: await hashPassword(password), role });
  return { email, password };
}
