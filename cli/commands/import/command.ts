/** `netguard import`: write the program to `--out` (a one-line summary on stdout) or to stdout. */
import * as fs from "fs";
import { CliCommand } from "../../command";
import { CliContext, print } from "../../context";
import { EXIT_OK, UserError } from "../../errors";
import { ImportOptions, declareImport, parseImport } from "./options";

async function execute(options: ImportOptions, context: CliContext): Promise<number> {
    const { plan, program } = await (require("./run") as typeof import("./run")).runImport(options);
    if (options.out === undefined) {
        context.output.stdout(program);
        return EXIT_OK;
    }
    try {
        fs.writeFileSync(options.out, program);
    } catch (err) {
        throw new UserError(`cannot write the program to ${options.out}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    const counted = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
    print(
        context,
        `wrote ${options.out}: ${counted(plan.nets.length, "net")}, ${counted(plan.containers.size, "container")} ` +
            `(${plan.dualHomed.length} dual-homed), ${counted(plan.notes.length, "note")}; check it with netguard preview ${options.out}`,
    );
    return EXIT_OK;
}

export const importCommand: CliCommand<ImportOptions> = { declare: declareImport, parse: parseImport, execute };
