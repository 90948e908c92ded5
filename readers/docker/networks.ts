/** A live network as a topology node: its IPAM blocks, driver options, scope and swarm flags as the engine reports them. */
import { DEFAULT_BRIDGE_KEY, IpamBlock, NetworkNode } from "../../topology/model";
import { OVERLAY_DRIVER, networkInterContainer, overlayEncrypted } from "../../topology/driverOptions";
import { DockerNetworkInspect, isDefaultBridgeNetwork, isSwarmNetwork } from "./engineState";


export function nonEmpty(value: string | undefined | null): string | undefined {
    return value ? value : undefined;
}

function ipamBlocks(network: DockerNetworkInspect): IpamBlock[] {
    return (network.IPAM?.Config ?? []).map((block) => {
        const auxAddresses: Record<string, string> = {};
        for (const [host, address] of Object.entries(block.AuxiliaryAddresses ?? {})) {
            if (address) auxAddresses[host] = address;
        }
        return {
            subnet: nonEmpty(block.Subnet),
            gateway: nonEmpty(block.Gateway),
            ipRange: nonEmpty(block.IPRange),
            auxAddresses,
        };
    });
}

/**
 * The network node. Its key is the Docker name (unique on an engine), and
 * the default bridge keeps the model's {@link DEFAULT_BRIDGE_KEY}, so that
 * the rules find it as they do in a preview.
 */
export function networkNode(network: DockerNetworkInspect, key: string): NetworkNode {
    const swarm = isSwarmNetwork(network);
    const defaultBridge = !swarm && isDefaultBridgeNetwork(network);
    const driver = network.Driver || (swarm ? OVERLAY_DRIVER : "bridge");
    const options = network.Options ?? {};
    return {
        key,
        resource: defaultBridge ? undefined : network.Name,
        name: network.Name,
        dockerName: network.Name,
        driver,
        ipam: ipamBlocks(network),
        internal: network.Internal === true,
        interContainer: networkInterContainer(driver, options),
        driverOptions: options,
        defaultBridge,
        // API 1.47+ (Docker 28+) reports it; absent from older engines, which have no IPv4-less networks.
        ...(network.EnableIPv4 === false ? { ipv4: false } : {}),
        ...(network.EnableIPv6 === true ? { ipv6: true } : {}),
        ...(swarm
            ? { scope: "swarm", attachable: network.Attachable === true, encrypted: overlayEncrypted(options), ...(network.Ingress === true ? { ingress: true } : {}) }
            : {}),
    };
}
