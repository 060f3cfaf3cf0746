// Runtime language switching. Components call `t(key, params)`; reading
// `i18n.locale` inside `t` makes every caller re-render when it changes.
import { en } from "./en";
import { sv, type MessageKey } from "./sv";

export type Locale = "sv" | "en";
export type { MessageKey };

export const catalogues: Record<Locale, Record<MessageKey, string>> = { sv, en };
export const locales: readonly Locale[] = ["sv", "en"];

const STORAGE_KEY = "kryphal.locale";

function initialLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === "sv" || stored === "en") return stored;
  } catch {
    // Storage may be unavailable; Swedish is the default.
  }
  return "sv";
}

class I18n {
  locale: Locale = $state(initialLocale());

  set(locale: Locale): void {
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered; harmless.
    }
    if (typeof document !== "undefined") document.documentElement.lang = locale;
  }
}

export const i18n = new I18n();

/** Fills `{name}` placeholders; unknown placeholders are left as written. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  return format(catalogues[locale][key], params);
}

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.locale, key, params);
}
