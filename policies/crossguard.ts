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
import { EngineSemantics } from "../topology/engineSemantics";
import { Topology } from "../topology/model";
import { DOCKER_VERSION_SCHEMA, DOCKER_VERSION_SETTING, readDockerVersionSetting, readRuleSettings } from "./policySettings";
import { Rule, defaultLevelOf } from "./rule";

/** Topologies already read, by the object they were read from and the Docker semantics they were read with. */
function cached(cache: WeakMap<object, Map<string, Topology>>, from: object, engine: EngineSemantics | undefined, read: () => Topology): Topology {
    const byEngine = cache.get(from) ?? new Map<string, Topology>();
    cache.set(from, byEngine);
    const key = engine ?? "default";
    let topology = byEngine.get(key);
    if (!topology) {
        topology = read();
        byEngine.set(key, topology);
    }
    return topology;
}

// Every stack rule of one validation sees the same resources array: read its topology once (per Docker).
const stackTopologies = new WeakMap<object, Map<string, Topology>>();

function stackTopology(resources: readonly PolicyResource[], engine: EngineSemantics | undefined): Topology {
    return cached(stackTopologies, resources, engine, () => topologyFromResources(resources, engine));
}

// The in-process evaluator hands every resource rule the same props object of a resource: read its topology once (per Docker).
const resourceTopologies = new WeakMap<object, Map<string, Topology>>();

function resourceTopology(args: ResourceValidationArgs, engine: EngineSemantics | undefined): Topology {
    return cached(resourceTopologies, args.props, engine, () => topologyFromResources([{ urn: args.urn, type: args.type, name: args.name, props: args.props }], engine));
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
                for (const finding of rule.check(resourceTopology(args, readDockerVersionSetting(rule, raw)), config)) reportViolation(redactSecrets(finding.message, secrets));
            },
        };
    }
    return {
        ...base,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const raw = args.getConfig<Record<string, unknown>>();
            const config = readRuleSettings(rule, raw);
            for (const finding of rule.check(stackTopology(args.resources, readDockerVersionSetting(rule, raw)), config)) {
                reportViolation(redactSecrets(finding.message, secretsOfStack(args.resources)), finding.subject.resource);
            }
        },
    };
}
