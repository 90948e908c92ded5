/**
 * The pack's rules and their CrossGuard policies, importable without side
 * effects (unlike `index.ts`, whose `PolicyPack` starts the analyzer server).
 */
// Deep import on purpose: this file's declarations are public (docker-netguard/policies), and
// "@pulumi/policy" itself resolves to its index.d.ts, which re-exports from a proxy.d.ts that
// does not type-check in 1.21 (TS2305) under a consumer's tsconfig without skipLibCheck.
// policy.d.ts declares the same types (index.d.ts re-exports them), so they stay identical.
import type { Policies } from "@pulumi/policy/policy";
import { toPolicy } from "./crossguard";
import { Rule } from "./rule";
import { dockerContainerStaticIpValid } from "./rules/docker-container-static-ip-valid";
import { dockerForbiddenFlows } from "./rules/docker-forbidden-flows";
import { dockerMultiHomingDeclared } from "./rules/docker-multi-homing-declared";
import { dockerNetworkNoOverlap } from "./rules/docker-network-no-overlap";
import { dockerNetworkExplicitIpam } from "./rules/docker-network-explicit-ipam";
import { dockerNetworkIpamConsistent } from "./rules/docker-network-ipam-consistent";
import { dockerNetworkPrivateRange } from "./rules/docker-network-private-range";
import { dockerNoDefaultBridge } from "./rules/docker-no-default-bridge";
import { dockerNoLegacyLinks } from "./rules/docker-no-legacy-links";
import { dockerNoSharedNetworkNamespace } from "./rules/docker-no-shared-network-namespace";
import { dockerOverlayEncrypted } from "./rules/docker-overlay-encrypted";
import { dockerPublishedPortBound } from "./rules/docker-published-port-bound";
import { dockerServiceUserNetwork } from "./rules/docker-service-user-network";

export const PACK_NAME = "docker-netguard";

/** Every rule, in the order of the README's policy table. */
export const rules: readonly Rule<object>[] = [
    dockerNoDefaultBridge,
    dockerNoLegacyLinks,
    dockerNetworkExplicitIpam,
    dockerNetworkPrivateRange,
    dockerNetworkIpamConsistent,
    dockerNetworkNoOverlap,
    dockerContainerStaticIpValid,
    dockerNoSharedNetworkNamespace,
    dockerMultiHomingDeclared,
    dockerForbiddenFlows,
    dockerPublishedPortBound,
    dockerOverlayEncrypted,
    dockerServiceUserNetwork,
];

/** The CrossGuard policies, one per rule. */
export const policies: Policies = rules.map((rule) => toPolicy(rule));

export const policyNames: readonly string[] = rules.map((rule) => rule.name);
