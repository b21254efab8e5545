// Reading the portals' charts (uPlot on a canvas) as a user does: how many points the figure
// holds, and the tooltip under the pointer at a place across the plot.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The figure of the chart titled `title`. */
export const chart = (page: Page, title: string) =>
  page.locator('figure', { has: page.locator('strong', { hasText: new RegExp(`^${title}$`) }) });

/** How many samples the chart draws. */
export const chartPoints = (figure: Locator) => figure.getAttribute('data-points').then(Number);

/** The tooltip's text with the pointer at `fraction` (0 … 1) of the plot's width. */
export async function chartTip(page: Page, figure: Locator, fraction: number): Promise<string> {
  const box = (await figure.locator('.u-over').boundingBox())!;
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2);
  const tip = figure.locator('.tip');
  await expect.poll(() => tip.isVisible()).toBe(true);
  const text = (await tip.textContent()) ?? '';
  await page.mouse.move(0, 0);
  return text;
}
