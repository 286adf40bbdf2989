import { doctor } from "./doctor.ts";

process.exitCode = await doctor((line) => console.log(line));
