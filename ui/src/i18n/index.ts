// Translations through vue-i18n (Composition API): English and Simplified Chinese. The language is
// the browser's (navigator.languages: the first English or Chinese one) until the user picks one
// with the switch, which is kept in this browser; <html lang> follows.
import { createI18n } from 'vue-i18n';
import { en } from './en';
import { zhCN } from './zhCN';

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type Locale = (typeof LOCALES)[number]['code'];

const STORAGE_KEY = 'vireo.locale';

/** The first of the browser's languages the portals speak; English otherwise. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    if (/^zh(-|$)/i.test(l)) return 'zh-CN';
    if (/^en(-|$)/i.test(l)) return 'en';
  }
  return 'en';
}

function initialLocale(): Locale {
  const kept = localStorage.getItem(STORAGE_KEY);
  return LOCALES.some((l) => l.code === kept) ? (kept as Locale) : browserLocale(navigator.languages);
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
});
document.documentElement.lang = i18n.global.locale.value;

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
