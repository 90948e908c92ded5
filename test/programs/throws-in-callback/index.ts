// An error thrown from a callback the program scheduled: nobody can catch it.
import * as docker from "@pulumi/docker";

setImmediate(() => {
    throw new Error("the inventory callback failed");
});
new docker.Network("cb-net", { ipamConfigs: [{ subnet: "10.63.0.0/24", gateway: "10.63.0.1" }] });
