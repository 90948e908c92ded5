"""Constructs netguard's generated Python SDK under Pulumi's Python mocks.

Run with the generated SDK on PYTHONPATH; prints one JSON line: the resources
the mocks saw (type, name, inputs) and the outputs the program read back.
"""
import json

import pulumi


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.registered = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.registered.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        state = dict(args.inputs)
        if args.typ == "netguard:index:IsolatedServiceNet":
            state.update(networkId=f"{args.name}-id", dockerName=f"p-s-{args.name}", gateway="10.20.1.1", containerNames={})
        return [f"{args.name}-id", state]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


mocks = RecordingMocks()
pulumi.runtime.set_mocks(mocks, project="netguard-py", stack="test", preview=False)

import pulumi_netguard as netguard  # noqa: E402  (after set_mocks, as Pulumi's docs show)


@pulumi.runtime.test
def construct():
    order = netguard.IsolatedServiceNet(
        "order",
        subnet="10.20.1.0/24",
        internal=True,
        services={"db": netguard.ServiceSpecArgs(image="postgres:16-alpine", ipv4_address="10.20.1.10",
                                                 container_args=netguard.ContainerSettingsArgs(restart="always"))},
    )
    web = netguard.IsolatedServiceNet("web", subnet="10.20.2.0/24")
    api = netguard.DualHomedContainer(
        "api",
        image="node:20-alpine",
        attachments=[netguard.NetAttachmentArgs(net="web"), netguard.NetAttachmentArgs(net="order", ipv4_address="10.20.1.20")],
    )
    edge = netguard.IsolatedServiceNet(
        "edge",
        scope="swarm",
        subnet="10.21.1.0/24",
        attachable=True,
        services={"proxy": netguard.ServiceSpecArgs(image="nginx:1.27-alpine", replicas=2,
                                                    service_args=netguard.ServiceSettingsArgs(constraints=["node.role==worker"]))},
    )
    core = netguard.IsolatedServiceNet("core", scope="swarm", subnet="10.21.2.0/24", encrypted=True)
    gw = netguard.DualHomedService(
        "gw",
        image="busybox",
        replicas=2,
        attachments=[netguard.ServiceNetAttachmentArgs(net="edge"), netguard.ServiceNetAttachmentArgs(net="core", aliases=["gateway"])],
    )

    def report(values):
        read = {"order_subnet": values[0], "order_gateway": values[1], "api_urn": values[2]}
        print(json.dumps({"registered": mocks.registered, "read": read}, sort_keys=True, default=str))

    # Every URN too: the mocks see a resource registered only by the time its URN resolves.
    urns = [resource.urn for resource in (order, web, api, edge, core, gw)]
    return pulumi.Output.all(order.subnet, order.gateway, api.urn, *urns).apply(report)


construct()
