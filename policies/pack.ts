/**
 * The pack's rules and their CrossGuard policies, importable without side
 * effects (unlike `index.ts`, whose `PolicyPack` starts the analyzer server).
 */
import { Policies } from "@pulumi/policy";
import { toPolicy } from "./crossguard";
import { Rule } from "./rule";
import { dockerNoDefaultBridge } from "./rules/docker-no-default-bridge";

export const PACK_NAME = "docker-netguard";

/** Every rule, in the order of DESIGN.md's policy table. */
export const rules: readonly Rule<object>[] = [dockerNoDefaultBridge as Rule<object>];

/** The CrossGuard policies, one per rule. */
export const policies: Policies = rules.map((rule) => toPolicy(rule));

export const policyNames: readonly string[] = rules.map((rule) => rule.name);
