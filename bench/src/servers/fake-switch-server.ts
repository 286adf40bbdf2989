// A fake FreeSWITCH in its own process, so the load generator never shares its event loop. Prints
// `{"port":…,"password":…}` once listening; stdin lines `delay <ms>` change how long every api/bgapi
// result (originate included) takes. Records are cleared continuously so memory stays flat.
import { startFakeSwitch } from "../../../packages/esl/src/testing/index.ts";

const fake = await startFakeSwitch({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ port: fake.port, password: fake.password }));

setInterval(() => {
  fake.clearReceived();
  fake.originates.length = 0;
  for (const uuid of [...fake.channels.keys()]) fake.channels.delete(uuid);
}, 1000).unref();

const decoder = new TextDecoder();
let buffered = "";
for await (const chunk of Bun.stdin.stream()) {
  buffered += decoder.decode(chunk);
  let newline = buffered.indexOf("\n");
  while (newline >= 0) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    const match = /^delay (\d+)$/.exec(line);
    if (match) fake.setApiDelay(Number(match[1]));
    newline = buffered.indexOf("\n");
  }
}
await fake.stop();
