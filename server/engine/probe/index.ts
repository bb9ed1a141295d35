// The probe stage's public face: the stage itself (the renderer's first browser stage) and the
// compile + probe convenience that `check` and the language server run.
export { closeProbeResources, runProbeStage } from './run';
export { checkComposition, compareDiagnostics, mergeDiagnostics, type CheckOptions, type CheckResult } from './check';
