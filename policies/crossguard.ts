/**
 * Turns rules into CrossGuard policies. Resource rules see a topology of the
 * one resource under validation; stack rules see the whole stack, with
 * parents and property dependencies as the engine filled them in. Messages
 * show `[secret]` where a secret's value would appear.
 */
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { topologyFromResources } from "../readers/pulumi/fromPulumi";
import { redactSecrets, secretsOf } from "./analyzerProps";
import { Topology } from "../topology/model";
import { readRuleSettings } from "./policySettings";
import { Rule, defaultLevelOf } from "./rule";

// Every stack rule of one validation sees the same resources array: build its topology once.
const stackTopologies = new WeakMap<readonly PolicyResource[], Topology>();

function stackTopology(resources: readonly PolicyResource[]): Topology {
    let topology = stackTopologies.get(resources);
    if (!topology) {
        topology = topologyFromResources(resources);
        stackTopologies.set(resources, topology);
    }
    return topology;
}

// The in-process evaluator hands every resource rule the same props object of a resource: build its topology once.
const resourceTopologies = new WeakMap<object, Topology>();

function resourceTopology(args: ResourceValidationArgs): Topology {
    let topology = resourceTopologies.get(args.props);
    if (!topology) {
        topology = topologyFromResources([{ urn: args.urn, type: args.type, name: args.name, props: args.props }]);
        resourceTopologies.set(args.props, topology);
    }
    return topology;
}

// Secrets of a stack's resources, gathered once per validation.
const stackSecrets = new WeakMap<readonly PolicyResource[], readonly string[]>();

function secretsOfStack(resources: readonly PolicyResource[]): readonly string[] {
    let secrets = stackSecrets.get(resources);
    if (!secrets) {
        secrets = [...new Set(resources.flatMap((resource) => secretsOf(resource.props)))];
        stackSecrets.set(resources, secrets);
    }
    return secrets;
}

/** The CrossGuard policy for a rule; mandatory (or the rule's own default) unless the pack's config says otherwise. */
export function toPolicy<Config extends object>(rule: Rule<Config>): ResourceValidationPolicy | StackValidationPolicy {
    const base = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: defaultLevelOf(rule),
        configSchema: rule.configSchema,
    };
    if (rule.scope === "resource") {
        return {
            ...base,
            validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
                const config = readRuleSettings(rule, args.getConfig<Record<string, unknown>>());
                const secrets = secretsOf(args.props);
                for (const finding of rule.check(resourceTopology(args), config)) reportViolation(redactSecrets(finding.message, secrets));
            },
        };
    }
    return {
        ...base,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = readRuleSettings(rule, args.getConfig<Record<string, unknown>>());
            for (const finding of rule.check(stackTopology(args.resources), config)) {
                reportViolation(redactSecrets(finding.message, secretsOfStack(args.resources)), finding.subject.resource);
            }
        },
    };
}
