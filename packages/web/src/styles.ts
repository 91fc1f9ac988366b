/** The stylesheet shared by the dashboard and the report (inlined in the report, served as /styles.css). @example `<style>${STYLES}</style>` */
export const STYLES = `
:root{--ink:#0f172a;--muted:#475569;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--value:#4f46e5;--forecast:#d97706;--alert:#e11d48;--good:#0d9488}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 Inter,"Segoe UI",system-ui,-apple-system,sans-serif;color:var(--ink);background:var(--bg)}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:16px;padding:14px 28px;background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
header.top h1{font-size:18px;margin:0 8px 0 0;white-space:nowrap;letter-spacing:-.01em}
header.top h1 span{color:var(--value)}
nav{display:flex;flex-wrap:wrap;gap:4px}
nav a{padding:6px 10px;border-radius:8px;color:var(--muted);text-decoration:none;font-weight:500}
nav a.active,nav a:hover{background:#eef2ff;color:var(--value)}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:20px 22px;margin-bottom:20px}
.panel h2{font-size:18px;margin:0 0 4px}
.panel h3{font-size:15px;margin:16px 0 6px}
.lead{color:var(--muted);margin:0 0 14px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:14px;margin:8px 0}
.kpis.compact{grid-template-columns:repeat(auto-fit,minmax(160px,1fr))}
.kpi{border:1px solid var(--line);border-radius:12px;padding:14px 16px;background:#fff}
.kpi-label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.kpi-value{font-size:26px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums}
.compact .kpi-value{font-size:20px}
.kpi-detail{font-size:13px;color:var(--muted)}
.kpi.good{border-left:4px solid var(--good)}.kpi.alert{border-left:4px solid var(--alert)}.kpi.warn{border-left:4px solid var(--forecast)}
.chart-box{position:relative;width:100%;margin-top:8px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
table.heatmap td.cell{background:rgba(79,70,229,calc(var(--a,0)*.85));color:#0f172a;font-size:12px}
table.heatmap td.cell.forecast{background:repeating-linear-gradient(135deg,rgba(217,119,6,calc(.15 + var(--a,0)*.6)) 0 6px,rgba(217,119,6,calc(.05 + var(--a,0)*.45)) 6px 12px)}
.legend{display:flex;gap:8px;align-items:center;margin-top:10px;color:var(--muted);font-size:13px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px}.swatch.observed{background:rgba(79,70,229,.6)}.swatch.forecast{background:rgba(217,119,6,.5)}
.slider-row{display:flex;align-items:center;gap:16px;margin:6px 0 10px}
.slider-row label{display:flex;align-items:center;gap:10px;font-weight:600}
.slider-row input{width:320px;max-width:60vw;accent-color:var(--value)}
.cut-value{font-size:20px;font-weight:650;color:var(--value)}
.band{padding:10px 14px;border-radius:10px;font-weight:500}.band.good{background:#ccfbf1}.band.fair{background:#fef3c7}.band.weak{background:#ffe4e6}
.assumptions,.notes{color:var(--muted);font-size:13px}
.lookup{display:flex;gap:8px;margin-bottom:12px}
input[type=text],input:not([type]),input[type=password]{padding:8px 12px;border:1px solid var(--line);border-radius:8px;font:inherit;min-width:220px}
button{padding:8px 16px;border:0;border-radius:8px;background:var(--value);color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#eef2ff;color:var(--value)}
.chip{display:inline-block;margin:2px 4px;padding:2px 10px;border-radius:999px;background:#eef2ff;color:var(--value);text-decoration:none;font-size:13px}
.error{color:#9f1239;background:#ffe4e6;border-radius:10px;padding:10px 14px}
.error code{font-weight:700}
.empty{color:var(--muted);font-style:italic}
.card-title{margin-top:0}
header.top .tools{margin-left:auto;display:flex;gap:8px;align-items:center}
select{max-width:200px;padding:7px 10px;border:1px solid var(--line);border-radius:8px;font:inherit;background:#fff}
.error ul{margin:6px 0 0;padding-left:20px}.where{color:#881337}
footer{color:var(--muted);font-size:12px;text-align:center;padding:16px}
@media (max-width:700px){main{padding:14px}.kpi-value{font-size:20px}header.top{padding:10px 14px}}
`;
