// A program that keeps Node busy (a timer that never stops) and never finishes: only a time limit ends it.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

setInterval(() => undefined, 1000);
new docker.Network("busy-net", { name: pulumi.output(new Promise<string>(() => undefined)) });
