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
import { DOCKER_VERSION_SCHEMA, DOCKER_VERSION_SETTING, readDockerVersionSetting, readRuleSettings } from "./policySettings";
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

/** The topology as the policy's settings ask it to be judged: by Docker 20.10's or 29's semantics. */
function judgedAs(topology: Topology, rule: Rule<object>, raw: Record<string, unknown>): Topology {
    const engine = readDockerVersionSetting(rule, raw);
    return engine === undefined ? topology : { ...topology, engine };
}

/** The CrossGuard policy for a rule; mandatory (or the rule's own default) unless the pack's config says otherwise. */
export function toPolicy<Config extends object>(rule: Rule<Config>): ResourceValidationPolicy | StackValidationPolicy {
    const base = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: defaultLevelOf(rule),
        // Every policy takes `dockerVersion` besides its own settings.
        configSchema: { ...rule.configSchema, properties: { ...rule.configSchema?.properties, [DOCKER_VERSION_SETTING]: DOCKER_VERSION_SCHEMA } },
    };
    if (rule.scope === "resource") {
        return {
            ...base,
            validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
                const raw = args.getConfig<Record<string, unknown>>();
                const config = readRuleSettings(rule, raw);
                const secrets = secretsOf(args.props);
                for (const finding of rule.check(judgedAs(resourceTopology(args), rule, raw), config)) reportViolation(redactSecrets(finding.message, secrets));
            },
        };
    }
    return {
        ...base,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const raw = args.getConfig<Record<string, unknown>>();
            const config = readRuleSettings(rule, raw);
            for (const finding of rule.check(judgedAs(stackTopology(args.resources), rule, raw), config)) {
                reportViolation(redactSecrets(finding.message, secretsOfStack(args.resources)), finding.subject.resource);
            }
        },
    };
}
