// A program that waits on a promise nothing settles: the run can never finish.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

const never = new Promise<string>(() => undefined);
new docker.Network("stuck-net", { name: pulumi.output(never), ipamConfigs: [{ subnet: "10.62.0.0/24", gateway: "10.62.0.1" }] });
