/* jixiao web: upload with progress, finding <-> cell links, dashboard charts.
   Everything here is an improvement: the pages work without it (plain forms and links). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var csrf = function () { return document.body.getAttribute("data-csrf") || ""; };

  /* ---- upload: several files, drag and drop, progress, one result line per file ---- */
  function setupUpload() {
    var form = document.getElementById("upload-form");
    if (!form || !window.FormData || !window.XMLHttpRequest) return;
    var input = document.getElementById("file-input");
    var zone = document.getElementById("dropzone");
    var out = document.getElementById("upload-results");
    var tpl = document.getElementById("result-template");
    var list = null;
    var queue = [];
    var running = 0;
    var LIMIT = 3;

    function line(file) {
      if (!list) {
        out.innerHTML = "";
        var h = document.createElement("h2"); h.textContent = "上传结果"; out.appendChild(h);
        list = document.createElement("ul"); list.className = "results"; out.appendChild(list);
      }
      var li = tpl.content.firstElementChild.cloneNode(true);
      li.querySelector(".name").textContent = file.name;
      list.appendChild(li);
      return li;
    }
    function finish(li, cls, text, url) {
      li.className = "result " + cls;
      var bar = li.querySelector("progress"); if (bar) bar.remove();
      li.querySelector(".msg").textContent = text;
      if (url) {
        var a = document.createElement("a"); a.href = url; a.textContent = "查看"; li.appendChild(a);
      }
    }
    function next() {
      while (running < LIMIT && queue.length) {
        running++;
        send(queue.shift());
      }
    }
    function send(item) {
      var fd = new FormData();
      fd.append("csrf_token", csrf());
      fd.append("uploader", form.elements.uploader.value);
      fd.append("region", form.elements.region.value);
      fd.append("files", item.file, item.file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/upload");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      var bar = item.li.querySelector("progress");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        item.li.querySelector(".msg").textContent = e.loaded < e.total ? "上传中…" : "正在读取与复核…";
      };
      xhr.onload = function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        var r = data && data.results && data.results[0];
        if (xhr.status === 200 && r) {
          if (r.status === "refused") finish(item.li, "refused", "未保存：" + r.message);
          else finish(item.li, r.status, r.message, r.url);
        } else {
          finish(item.li, "refused", "未保存：" + ((data && data.detail) || ("服务器返回 " + xhr.status)));
        }
        running--; next();
      };
      xhr.onerror = function () {
        finish(item.li, "refused", "未保存：网络错误，请重试");
        running--; next();
      };
      item.li.querySelector(".msg").textContent = "上传中…";
      xhr.send(fd);
    }
    function add(files) {
      for (var i = 0; i < files.length; i++) {
        queue.push({ file: files[i], li: line(files[i]) });
      }
      next();
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.files.length) { add(input.files); input.value = ""; }
    });
    input.addEventListener("change", function () {
      if (input.files.length) { add(input.files); input.value = ""; }
    });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) add(e.dataTransfer.files);
    });
    zone.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
    });
    document.getElementById("upload-submit").hidden = true;
  }

  /* ---- document: a highlighted cell leads to its findings, a finding to its cell ---- */
  function flash(el) {
    el.classList.add("flash");
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }
  document.addEventListener("click", function (e) {
    var td = e.target.closest && e.target.closest("td.hl, td.hlrow");
    if (td && td.id) {
      var card = document.querySelector('article.finding[data-cell="' + td.id + '"]');
      if (card) flash(card);
      return;
    }
    var go = e.target.closest && e.target.closest("a.goto[data-cell]");
    if (go) {
      var cell = document.getElementById(go.getAttribute("data-cell"));
      if (cell) { e.preventDefault(); flash(cell); }
    }
  });
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit")) {
      var f = document.getElementById(e.target.getAttribute("form"));
      var hidden = f.querySelector('input[name="sort"]') || document.createElement("input");
      hidden.type = "hidden"; hidden.name = "sort"; hidden.value = e.target.value;
      f.appendChild(hidden); f.submit();
    }
  });
  document.addEventListener("click", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-back")) { e.preventDefault(); history.back(); }
  });

  /* ---- dashboard charts (ECharts, when installed) ---- */
  var charts = [];
  function chart(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = window.echarts.init(el);
    charts.push(c);
    return c;
  }
  function drawCharts() {
    var src = document.getElementById("chart-data");
    if (!src || !window.echarts) return;
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var d = JSON.parse(src.textContent);
    var sevColors = { error: "#c62828", warning: "#a66300", info: "#1565c0" };

    var sc = chart("chart-scatter");
    if (sc) {
      var lo = 100, hi = 0;
      d.scatter.forEach(function (p) {
        lo = Math.min(lo, p.printed, p.recomputed); hi = Math.max(hi, p.printed, p.recomputed);
      });
      lo = Math.max(0, Math.floor((d.scatter.length ? lo : 60) - 2)); hi = Math.min(110, Math.ceil((d.scatter.length ? hi : 100) + 2));
      sc.setOption({
        animation: false,
        grid: { left: 56, right: 24, top: 24, bottom: 48 },
        tooltip: {
          formatter: function (p) {
            var v = p.data.raw;
            if (!v) return "";
            var esc = function (s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); };
            return esc(v.subject || "—") + "<br>" + esc(v.entity || "") + " " + esc(v.year || "") +
              "<br>自评 " + v.printed + " · 复算 " + v.recomputed;
          }
        },
        xAxis: { name: "复算总分", nameLocation: "middle", nameGap: 28, min: lo, max: hi },
        yAxis: { name: "自评总分", nameLocation: "middle", nameGap: 40, min: lo, max: hi },
        series: [
          {
            type: "scatter", symbolSize: 10,
            data: d.scatter.map(function (p) {
              return { value: [p.recomputed, p.printed], raw: p,
                itemStyle: { color: p.printed - p.recomputed > 0.005 ? "#c62828" : "#1565c0" } };
            })
          },
          { type: "line", data: [[lo, lo], [hi, hi]], symbol: "none", silent: true,
            lineStyle: { type: "dashed", color: "#888" } }
        ]
      });
      sc.on("click", function (p) { if (p.data && p.data.raw) location.href = "/documents/" + p.data.raw.document; });
    }

    var rc = chart("chart-rates");
    if (rc) {
      rc.setOption({
        animation: false, grid: { left: 40, right: 16, top: 16, bottom: 32 }, tooltip: {},
        xAxis: { type: "category", data: d.rate_bins.map(function (b) { return b.label; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: d.rate_bins.map(function (b) { return b.count; }), itemStyle: { color: "#2e7d32" } }]
      });
    }

    var fc = chart("chart-family");
    if (fc) {
      fc.setOption({
        animation: false, grid: { left: 72, right: 16, top: 28, bottom: 24 }, tooltip: { trigger: "axis" },
        legend: { data: ["错误", "疑似", "提示"] },
        yAxis: { type: "category", data: d.by_family.map(function (f) { return f.name; }) },
        xAxis: { type: "value", minInterval: 1 },
        series: [["error", "错误"], ["warning", "疑似"], ["info", "提示"]].map(function (s) {
          return { name: s[1], type: "bar", stack: "n", itemStyle: { color: sevColors[s[0]] },
            data: d.by_family.map(function (f) { return f[s[0]] || 0; }) };
        })
      });
      fc.on("click", function (p) { var f = d.by_family[p.dataIndex]; if (f) location.href = "/findings?family=" + encodeURIComponent(f.family); });
    }

    var gc = chart("chart-region");
    if (gc) {
      var regions = [], years = [];
      d.by_region_year.forEach(function (r) {
        var name = r.region || "未知地区", y = r.year ? String(r.year) : "未知";
        if (regions.indexOf(name) < 0) regions.push(name);
        if (years.indexOf(y) < 0) years.push(y);
      });
      years.sort();
      gc.setOption({
        animation: false, grid: { left: 40, right: 16, top: 28, bottom: 56 }, tooltip: { trigger: "axis" },
        legend: { data: years },
        xAxis: { type: "category", data: regions, axisLabel: { interval: 0, rotate: regions.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: years.map(function (y) {
          return { name: y, type: "bar", data: regions.map(function (reg) {
            var hit = d.by_region_year.filter(function (r) { return (r.region || "未知地区") === reg && (r.year ? String(r.year) : "未知") === y; })[0];
            return hit ? hit.findings : 0;
          }) };
        })
      });
    }

    var tc = chart("chart-top");
    if (tc) {
      var top = d.top_entities.slice().reverse();
      tc.setOption({
        animation: false, grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true }, tooltip: {},
        yAxis: { type: "category", data: top.map(function (t) { return t.name; }) },
        xAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: top.map(function (t) { return t.errors; }), itemStyle: { color: "#c62828" } }]
      });
      tc.on("click", function (p) { var t = top[p.dataIndex]; if (t) location.href = "/documents?entity=" + t.entity; });
    }
    document.body.setAttribute("data-charts", "ready");
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("htmx:afterSettle", drawCharts);

  function start() { setupUpload(); drawCharts(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
