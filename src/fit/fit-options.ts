import type { FitOptions } from './auto-fit.js';

/** The floor when neither the audience nor the theme names one: 18 px body text from 24 px. */
export const defaultMinScale = 0.75;

/** What an audience profile may say about fitting (`fit:` in `audiences/<name>.yaml`). */
export interface ProfileFit {
  minScale?: number;
  auto?: boolean;
}

/** A theme's own floor, from a `/* @fit-min-scale 0.8 *\/` comment in its CSS. */
export function themeMinScale(css: string | undefined): number | undefined {
  const value = Number(/@fit-min-scale\s+([\d.]+)/.exec(css ?? '')?.[1]);
  return Number.isFinite(value) && value >= 0.3 && value <= 1 ? value : undefined;
}

/** Audience first, then theme, then the default; `autoFit: false` anywhere means report only. */
export function resolveFitOptions(profile: ProfileFit | undefined, themeCss: string | undefined, autoFit = true): FitOptions {
  return {
    minScale: profile?.minScale ?? themeMinScale(themeCss) ?? defaultMinScale,
    autoFit: autoFit && profile?.auto !== false,
  };
}
