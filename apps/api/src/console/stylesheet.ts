/** The console's one stylesheet, served at /console/console.css (the CSP allows styles from 'self' only). */
export const CONSOLE_CSS = `
:root { color-scheme: light dark; --accent: #2563eb; --muted: #6b7280; --line: #d1d5db; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: .9rem; flex: 1; }
header nav a { text-decoration: none; color: var(--accent); }
header nav a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
.brand { margin-right: 1rem; }
.sign-out { display: flex; gap: .6rem; align-items: center; color: var(--muted); font-size: .9em; }
main { padding: 1rem 1.2rem 3rem; max-width: 80rem; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
code { font-family: ui-monospace, monospace; font-size: .92em; }
form.stack { display: grid; gap: .6rem; max-width: 34rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; }
label { display: grid; gap: .2rem; font-size: .92em; }
fieldset { border: 1px solid var(--line); }
fieldset label { display: inline-flex; gap: .3rem; margin-right: .8rem; }
label:has(> input[type="checkbox"]) { display: inline-flex; gap: .3rem; align-items: center; }
input, select, button { font: inherit; padding: .3rem .5rem; }
button { cursor: pointer; }
.notice { padding: .6rem .8rem; border-left: 4px solid var(--good); background: color-mix(in srgb, var(--good) 10%, transparent); }
.notice.error { border-color: var(--bad); background: color-mix(in srgb, var(--bad) 10%, transparent); }
.secret { font-size: 1.1em; padding: .2rem .4rem; border: 1px dashed var(--line); user-select: all; }
.up { color: var(--good); font-weight: 600; }
.down { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
`;
