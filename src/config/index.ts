export { ensureGeneratedApiKey, type GeneratedKey } from "./api-key.js";
export { CURRENT_CONFIG_VERSION, defaultOptions } from "./defaults.js";
export { ConfigError, type ConfigProblem } from "./errors.js";
export {
  type Config,
  type LoadOptions,
  loadConfig,
  type ModemConfig,
  parseConfig,
  resolveConfigPath,
} from "./load.js";
export { ensureGeneratedPepper, type GeneratedPepper } from "./pepper.js";
export { checkSecrets, effectiveToml } from "./print.js";
export { readSecret, SecretError, type SecretRef } from "./secret.js";
