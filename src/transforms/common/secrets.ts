const secretName = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)/i;

/** Whether a variable name looks like it carries a secret (such values must not be baked into the runtime image). */
export function looksSecret(name: string): boolean {
  return secretName.test(name);
}
