// A program whose failure happens inside an apply, after construction.
import * as pulumi from "@pulumi/pulumi";

export const broken = pulumi.output("x").apply(() => {
    throw new Error("the database password is not configured");
});
