// `docker run -d --name db postgres` and `docker run -d --name web --link db:db nginx`:
// newer @pulumi/docker SDKs have no `links`, so the web container is declared
// as an untyped resource, which the provider still accepts.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** A container resource with whatever inputs the caller gives (CustomResource itself is abstract). */
class UntypedContainer extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("docker:index/container:Container", name, props, opts);
    }
}

const db = new docker.Container("db", { name: "db", image: "postgres:16-alpine" });

new UntypedContainer("web", { name: "web", image: "nginx:1.27-alpine", links: ["db:db"] }, { dependsOn: [db] });
