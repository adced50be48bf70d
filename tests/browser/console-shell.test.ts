import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUser, expectAccessible, launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

describe('console: sign-in, navigation, language', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: { email: string; password: string };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
    const { tenantId } = await createTenant(stack, 'Shell tenant');
    admin = await consoleUser(stack.db, tenantId, 'admin');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refuses a wrong password with a readable message and keeps what was typed', async () => {
    const page = await (await newContext(browser, stack.apiUrl)).newPage();
    await page.goto('/campaigns');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or the password is wrong.');
    expect(await page.getByLabel('Email').inputValue()).toBe(admin.email);
    await expectAccessible(page, 'the sign-in page with an error');
    await screenshot(page, 'sign-in-error');
  });

  it('signs in from the keyboard, shows who is signed in, and signs out', async () => {
    const page = await (await newContext(browser, stack.apiUrl)).newPage();
    await page.goto('/');
    await page.getByLabel('Email').focus();
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('Role: admin');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Campaigns');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Campaigns',
      'New campaign',
      'Calls',
      'Do-not-call list',
      'Webhook inbox',
    ]);
    await expectAccessible(page, 'the empty campaign list');
    await screenshot(page, 'campaigns-empty');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it("speaks the browser's language, Turkish here, and switches to English", async () => {
    const page = await (await newContext(browser, stack.apiUrl, 'tr-TR')).newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: "Outdial'a giriş" }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('tr');
    await signIn(page, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Kampanyalar' }).waitFor();
    await page.getByLabel('Dil').selectOption('en');
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  });
});
