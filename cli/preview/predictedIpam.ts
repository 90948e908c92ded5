/**
 * Old path, kept only for `policies/rules/docker-container-static-ip-valid.spec.ts`
 * (policies/ is edited by others): the module is `commands/preview/predictedIpam.ts`.
 * Delete this file once that spec imports from there.
 */
export * from "../commands/preview/predictedIpam";
