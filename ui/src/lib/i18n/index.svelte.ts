// Runtime language switching. Components call `t(key, params)`; reading
// `i18n.locale` inside `t` makes every caller re-render when it changes.
import { en } from "./en";
import { sv, type MessageKey } from "./sv";

export type Locale = "sv" | "en";
export type { MessageKey };

export const catalogues: Record<Locale, Record<MessageKey, string>> = { sv, en };
export const locales: readonly Locale[] = ["sv", "en"];

// Swedish until the preferences say otherwise. The language is remembered
// in the preferences only (AppState.saveLanguage), never in the webview's
// storage: a second place would outlive a reset of the preferences.
class I18n {
  locale: Locale = $state("sv");

  set(locale: Locale): void {
    this.locale = locale;
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
