export type { Job, JobContext, StepResult } from "./job.js";
export { JOBS } from "./jobs.js";
export {
  COUNT_NAMES,
  type CountName,
  DAY_MS,
  HOUR_MS,
  type RetentionCounts,
  type RetentionPolicy,
} from "./policy.js";
export { type RetentionOptions, type RetentionReport, RetentionRunner } from "./runner.js";
