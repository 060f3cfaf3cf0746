// What the user reads when a command fails: the catalogue's sentence for the
// error code (the UI switches on the code, never on the message).
import { isKnownCode, type BackendError } from "./backend/backend";
import { t } from "./i18n/index.svelte";

export function errorText(error: BackendError): string {
  if (isKnownCode(error.code)) return t(`error.${error.code}`);
  return error.message || t("error.unknown");
}
