/**
 * How Docker binds published ports on the host, measured on each engine
 * (`docker inspect`'s `NetworkSettings.Ports` of the running container,
 * entries without a host port left out), and what the model predicts. The
 * unit spec holds the model (topology/hostBindings.ts) to these; the live
 * spec re-measures them on the engine under test, so a recording that goes
 * stale fails there.
 *
 * A binding is `HOST_IP|HOST_PORT|PORT/PROTO`.
 */
import * as assert from "assert";
import { commandResource } from "../../oracle/predict";
import { policyResources } from "../../policies/engineArgs";
import { readResources } from "../../readers/pulumi/fromPulumi";
import { EngineSemantics } from "../../topology/engineSemantics";
import { hostBindings } from "../../topology/hostBindings";

export interface HostBindingCase {
    readonly title: string;
    /** Docker command lines; the container to read is `ngb-c`. */
    readonly script: string;
    readonly measured: { readonly "20": readonly string[]; readonly "29": readonly string[] };
}

export const HOST_BINDING_CONTAINER = "ngb-c";

export const HOST_BINDING_CASES: readonly HostBindingCase[] = [
    {
        title: "a port written without an address binds every interface, IPv4 and IPv6",
        script: "docker network create --subnet 10.236.1.0/24 ngb-plain\ndocker run -d --name ngb-c --network ngb-plain -p 18200:80 -p 127.0.0.1:18201:81 netguard-probe:local",
        measured: { "20": ["0.0.0.0|18200|80/tcp", "::|18200|80/tcp", "127.0.0.1|18201|81/tcp"], "29": ["0.0.0.0|18200|80/tcp", "::|18200|80/tcp", "127.0.0.1|18201|81/tcp"] },
    },
    {
        title: "a container only on internal networks binds nothing",
        script: "docker network create --internal --subnet 10.236.2.0/24 ngb-closed\ndocker run -d --name ngb-c --network ngb-closed -p 18202:80 -p 127.0.0.1:18203:81 netguard-probe:local",
        measured: { "20": [], "29": [] },
    },
    {
        title: "connected to a network that is not internal too, it binds its ports",
        script:
            "docker network create --internal --subnet 10.236.3.0/24 ngb-closed\ndocker network create --subnet 10.236.4.0/24 ngb-open\n" +
            "docker create --name ngb-c --network ngb-closed -p 18204:80 netguard-probe:local\ndocker network connect ngb-open ngb-c\ndocker start ngb-c",
        measured: { "20": ["0.0.0.0|18204|80/tcp", "::|18204|80/tcp"], "29": ["0.0.0.0|18204|80/tcp", "::|18204|80/tcp"] },
    },
    {
        title: "host network mode binds nothing",
        script: "docker run -d --name ngb-c --network host -p 18205:80 netguard-probe:local",
        measured: { "20": [], "29": [] },
    },
    {
        title: "a network's host_binding_ipv4 is the address of a port written without one",
        script:
            "docker network create --subnet 10.236.5.0/24 -o com.docker.network.bridge.host_binding_ipv4=127.0.0.1 ngb-local\n" +
            "docker run -d --name ngb-c --network ngb-local -p 18206:80 -p 0.0.0.0:18207:81 netguard-probe:local",
        measured: { "20": ["127.0.0.1|18206|80/tcp", "0.0.0.0|18207|81/tcp"], "29": ["127.0.0.1|18206|80/tcp", "0.0.0.0|18207|81/tcp"] },
    },
    {
        title: "on two networks, the first by name publishes: its host_binding_ipv4 counts",
        script:
            "docker network create --subnet 10.236.6.0/24 -o com.docker.network.bridge.host_binding_ipv4=127.0.0.1 ngb-a-local\n" +
            "docker network create --subnet 10.236.7.0/24 ngb-b-plain\n" +
            "docker create --name ngb-c --network ngb-b-plain -p 18208:80 netguard-probe:local\ndocker network connect ngb-a-local ngb-c\ndocker start ngb-c",
        measured: { "20": ["127.0.0.1|18208|80/tcp"], "29": ["127.0.0.1|18208|80/tcp"] },
    },
    {
        title: "on two networks, the first by name publishes: another's host_binding_ipv4 does not count",
        script:
            "docker network create --subnet 10.236.8.0/24 -o com.docker.network.bridge.host_binding_ipv4=127.0.0.1 ngb-b-local\n" +
            "docker network create --subnet 10.236.9.0/24 ngb-a-plain\n" +
            "docker create --name ngb-c --network ngb-b-local -p 18209:80 netguard-probe:local\ndocker network connect ngb-a-plain ngb-c\ndocker start ngb-c",
        measured: { "20": ["0.0.0.0|18209|80/tcp", "::|18209|80/tcp"], "29": ["0.0.0.0|18209|80/tcp", "::|18209|80/tcp"] },
    },
    {
        title: "a routed gateway mode binds no IPv4 host address on 28+ (20.10 ignores the mode)",
        script:
            "docker network create --subnet 10.236.10.0/24 -o com.docker.network.bridge.gateway_mode_ipv4=routed ngb-routed\n" +
            "docker run -d --name ngb-c --network ngb-routed -p 18210:80 -p 127.0.0.1:18211:81 netguard-probe:local",
        measured: { "20": ["0.0.0.0|18210|80/tcp", "::|18210|80/tcp", "127.0.0.1|18211|81/tcp"], "29": ["::|18210|80/tcp"] },
    },
];

/** The bindings the model predicts for the case's container, as `docker inspect` lists them. */
export function predictedBindings(script: string, semantics: EngineSemantics): string[] {
    const { topology } = readResources(policyResources([commandResource(script)]), semantics);
    const container = topology.containers.find((c) => c.dockerName === HOST_BINDING_CONTAINER);
    assert.ok(container, `the script runs ${HOST_BINDING_CONTAINER}`);
    // Written without an address, a binding is Docker's two: every IPv4 and every IPv6 interface.
    return hostBindings(container, topology)
        .flatMap((port) => (port.ip === undefined ? ["0.0.0.0", "::"] : [port.ip]).map((ip) => `${ip}|${port.external ?? "auto"}|${port.internal}/${port.protocol}`))
        .sort();
}
