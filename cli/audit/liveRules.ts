/**
 * Old path, kept only for `policies/rules/docker-published-port-bound.spec.ts`
 * (policies/ is edited by others): the module is `commands/audit/liveRules.ts`.
 * Delete this file once that spec imports from there.
 */
export * from "../commands/audit/liveRules";
