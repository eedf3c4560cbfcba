/**
 * The stylesheet, kept as a module so every deployment (and `npm start`) serves it without a
 * build step. Colours meet WCAG AA contrast; the banner colours follow the source: orange while
 * a migration is due, red from the deadline ("der rote Knopf" is the migrate button).
 */
export const APP_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:1rem;z-index:10}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:1rem;background:#1f3a5f;color:#fff;padding:.75rem 1.5rem}
.top a{color:#fff}
.brand{font-weight:700;font-size:1.1rem}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:1.5rem}
.top nav ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
.signout{display:flex;align-items:center;gap:.75rem;margin:0}
.signout button{background:transparent;color:#fff;border:1px solid #fff}
main{max-width:78rem;margin:0 auto;padding:1.5rem}
main:focus{outline:none}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
button{font:inherit;cursor:pointer;border-radius:4px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;padding:.45rem .9rem}
button.migrate{background:#b71c1c;border-color:#b71c1c}
button.danger{background:#b71c1c;border-color:#b71c1c}
button.microsoft{background:#fff;color:#1a1a1a;border-color:#5e5e5e}
.banner{border-left:.4rem solid;border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}
.banner p{margin:.25rem 0}
.banner-orange{background:#fff1e0;border-color:#e67700}
.banner-red{background:#fdecea;border-color:#b71c1c}
.notice{border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem;background:#e8f0fe;border:1px solid #0b57d0}
.notice-ok{background:#e6f4ea;border-color:#137333}
.notice-error{background:#fdecea;border-color:#b71c1c}
.callout{background:#fff8e1;border:1px solid #8a6d00;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
.choice-label{font-weight:600}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #d0d5dd;border-radius:4px;margin:0 0 1rem}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.5rem .75rem}
th,td{text-align:left;vertical-align:top;padding:.5rem .75rem;border-top:1px solid #e4e7ec}
thead th{background:#f0f2f5;font-weight:600}
tr.differs td{background:#fffbe6}
.state{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.9rem;background:#e6f4ea;color:#0d5323}
.state-migrationRequired{background:#fff1e0;color:#7a3e00}
.state-migrationOverdue,.state-syncStopped{background:#fdecea;color:#8c1515}
.state-removing{background:#eceff3;color:#2b3440}
.accounts td:last-child{min-width:15rem}
.accounts th[scope=row]{word-break:break-word;min-width:12rem}
section .table-wrap caption,.admin-accounts caption{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.actions{list-style:none;margin:0;padding:0;display:grid;gap:.35rem}
.account{background:#fff;border:1px solid #d0d5dd;border-radius:4px;padding:1rem 1.25rem;margin:0 0 1rem}
.account h2{margin:0 0 .75rem;font-size:1.15rem;word-break:break-word}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.75rem 1.5rem;margin:0 0 1rem}
.facts dt{font-size:.85rem;color:#4a5565}
.facts dd{margin:0}
.account .actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;border-top:1px solid #e4e7ec;padding-top:.75rem}
.inline{display:inline;margin:0}
.error-text{color:#8c1515}
.hint,.muted{color:#4a5565}
.field{display:grid;gap:.25rem;margin:0 0 1rem;max-width:32rem}
input[type=text],input[type=password],input[type=search]{font:inherit;padding:.45rem .6rem;border:1px solid #5e6b7d;border-radius:4px}
fieldset{border:1px solid #d0d5dd;border-radius:4px;margin:0 0 1rem;padding:.75rem 1rem}
.radio{margin:.25rem 0 .75rem}
.radio .hint{margin:.1rem 0 0 1.6rem}
.radio-inline{margin-right:1.25rem;white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;align-items:end;gap:1rem;margin-bottom:1rem}
.filters fieldset{margin:0}
.decide{display:flex;gap:1rem;margin:1rem 0}
.decide form{margin:0}
form[role=search]{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 1rem}
.hits li,.held-list li,.kept li{margin:.25rem 0}
.log-warning td{background:#fffbe6}
.log-conflict td{background:#fff1e0}
.log-error td{background:#fdecea}
code{font-size:.85rem;word-break:break-word}
`;
