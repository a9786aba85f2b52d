/**
 * /docs: a self-contained page that renders /openapi.json (no CDN: the gateway often runs offline
 * on a Pi). Lists operations by tag with parameters, body and responses, and shows each component
 * schema as JSON. Text is inserted with textContent only, never as HTML.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>smsgw API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
h2{border-bottom:1px solid #ccc;margin-top:2rem}details{margin:.4rem 0;border:1px solid #ddd;border-radius:4px}
summary{cursor:pointer;padding:.4rem .6rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:13px;margin:.4rem .6rem}
.m{display:inline-block;width:3.5rem;font-weight:600;text-transform:uppercase}.get{color:#16a}.post{color:#282}
#info{white-space:pre-wrap}.p{font-family:monospace}.d{padding:0 .6rem;color:#555}
</style></head><body><h1>smsgw API</h1><p id="info">Loading /openapi.json…</p><main id="ops"></main>
<h2>Schemas</h2><div id="schemas"></div>
<script>
const el=(t,c,txt)=>{const e=document.createElement(t);if(c)e.className=c;if(txt!==undefined)e.textContent=txt;return e};
const pre=(o)=>el("pre",null,JSON.stringify(o,null,2));
fetch("openapi.json").then(r=>r.json()).then(doc=>{
  document.getElementById("info").textContent=doc.info.title+" "+doc.info.version+". "+(doc.info.description||"");
  const byTag={};
  for(const [p,item] of Object.entries(doc.paths))for(const [m,op] of Object.entries(item))(byTag[op.tags[0]]??=[]).push([m,p,op]);
  const ops=document.getElementById("ops");
  for(const [tag,list] of Object.entries(byTag)){
    ops.append(el("h2",null,tag));
    for(const [m,p,op] of list){
      const d=el("details"),s=el("summary");s.append(el("span","m "+m,m),el("span","p",p+"  "),el("span",null,op.summary));
      d.append(s);if(op.description)d.append(el("p","d",op.description));
      if(op.security&&op.security.length===0)d.append(el("p","d","Public (no token)."));
      if(op.parameters&&op.parameters.length){d.append(el("p","d","Parameters"));d.append(pre(op.parameters))}
      if(op.requestBody){d.append(el("p","d","Body"));d.append(pre(op.requestBody.content))}
      d.append(el("p","d","Responses"));d.append(pre(op.responses));ops.append(d);
    }
  }
  const sc=document.getElementById("schemas");
  for(const [n,s] of Object.entries(doc.components.schemas)){const d=el("details");d.append(el("summary",null,n),pre(s));sc.append(d)}
}).catch(e=>{document.getElementById("info").textContent="Could not load /openapi.json: "+e});
</script></body></html>`;
