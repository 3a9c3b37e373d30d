/*
 * Jiandu (监督) — page behaviour shared by every page:
 *   - the side navigation toggle on narrow screens (keyboard accessible),
 *   - dismissible alerts, copy-to-clipboard and print buttons,
 *   - htmx glue (error messages, charts re-initialised after swaps),
 *   - JianduCharts: ECharts with a Chinese-friendly theme, fed by Django's json_script.
 *
 * Plain JavaScript, no build step. Works without htmx and without ECharts on the page
 * (login and error pages load neither).
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------
  // Navigation toggle
  // ---------------------------------------------------------------------------

  function navToggle() {
    return document.querySelector("[data-nav-toggle]");
  }

  function setNavOpen(open) {
    var toggle = navToggle();
    document.body.classList.toggle("nav-open", open);
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.setAttribute("aria-label", open ? "收起导航菜单" : "展开导航菜单");
    }
    if (open) {
      var first = document.querySelector("#sidebar a");
      if (first) first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-nav-toggle]")) {
      setNavOpen(!document.body.classList.contains("nav-open"));
      return;
    }
    if (event.target.closest("[data-nav-close]")) {
      setNavOpen(false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) {
      setNavOpen(false);
      var toggle = navToggle();
      if (toggle) toggle.focus();
    }
  });

  // ---------------------------------------------------------------------------
  // Alerts, copy and print buttons
  // ---------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-dismiss='alert']");
    if (close) {
      var alert = close.closest(".alert");
      if (alert) alert.remove();
      return;
    }

    var copy = event.target.closest("[data-copy-target]");
    if (copy) {
      copyText(copy);
      return;
    }

    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }

    if (event.target.closest("[data-history-back]")) {
      window.history.back();
      return;
    }

    // <button data-remove-closest=".person-chip">: remove the enclosing element.
    var remover = event.target.closest("[data-remove-closest]");
    if (remover) {
      var target = remover.closest(remover.getAttribute("data-remove-closest"));
      if (target) target.remove();
    }
  });

  // ---------------------------------------------------------------------------
  // Form helpers (the Content-Security-Policy allows no inline handlers)
  // ---------------------------------------------------------------------------

  // <select data-submit-on-change [data-clear-field="version"]>: submit the form on
  // change, first emptying the named field (e.g. a version that belongs to the old month).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-submit-on-change]");
    if (!select || !select.form) return;
    var clear = select.getAttribute("data-clear-field");
    if (clear && select.form.elements[clear]) select.form.elements[clear].value = "";
    select.form.submit();
  });

  // <input data-no-enter-submit>: Enter searches (htmx) instead of submitting the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-no-enter-submit]")) {
      event.preventDefault();
    }
  });

  // <button hx-get=... data-remove-closest-after-request="li">: once its request is
  // done, remove the enclosing element (the search result it added).
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.getAttribute) return;
    var selector = elt.getAttribute("data-remove-closest-after-request");
    if (!selector) return;
    var target = elt.closest(selector);
    if (target) target.remove();
  });

  function copyText(button) {
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) return;
    var text = source.textContent.trim();
    var original = button.textContent;
    function done(ok) {
      button.textContent = ok ? "已复制" : "请手动复制";
      window.setTimeout(function () {
        button.textContent = original;
      }, 2000);
    }
    // The Clipboard API needs a secure context; intranet sites are often plain http.
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(true); },
        function () { done(false); }
      );
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    done(ok);
  }

  // Show a message in the page's message area (used for htmx errors).
  function showMessage(text, level) {
    var box = document.getElementById("messages");
    if (!box) {
      window.alert(text);
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (level || "error");
    alert.setAttribute("role", "alert");
    var icon = document.createElement("span");
    icon.className = "alert-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "!";
    var body = document.createElement("div");
    body.className = "alert-body";
    body.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "alert-close";
    button.setAttribute("data-dismiss", "alert");
    button.setAttribute("aria-label", "关闭提示");
    button.textContent = "×";
    alert.appendChild(icon);
    alert.appendChild(body);
    alert.appendChild(button);
    box.appendChild(alert);
    alert.scrollIntoView({ block: "nearest" });
  }

  // ---------------------------------------------------------------------------
  // Charts
  // ---------------------------------------------------------------------------

  var FONT =
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
    '"WenQuanYi Micro Hei", sans-serif';

  var PALETTE = [
    "#b8322a", "#2f5d8a", "#d4a03b", "#3f8f7a",
    "#7a5c9e", "#e07b39", "#5b8fc9", "#8c8c8c",
  ];

  // 政治生态 four colours and 多色榜 colours, by name, for map regions and data points.
  var TONES = {
    green: "#3f9f5f",
    yellow: "#e6c030",
    orange: "#e8883a",
    red: "#c8312b",
    blue: "#2f5d8a",
    white: "#f2f3f5",
    gray: "#c9cdd4",
    black: "#2b2f36",
  };

  var THEME = {
    color: PALETTE,
    backgroundColor: "transparent",
    textStyle: { fontFamily: FONT, color: "#4e5969" },
    title: {
      textStyle: { color: "#1f2329", fontSize: 14, fontWeight: 600 },
      subtextStyle: { color: "#86909c" },
    },
    legend: {
      textStyle: { color: "#4e5969" },
      itemWidth: 14,
      itemHeight: 8,
      icon: "roundRect",
    },
    tooltip: {
      backgroundColor: "rgba(255, 255, 255, 0.97)",
      borderColor: "#e1e4ea",
      borderWidth: 1,
      textStyle: { color: "#1f2329", fontSize: 12 },
      shadowBlur: 12,
      shadowOffsetY: 4,
      shadowColor: "rgba(0, 0, 0, 0.12)",
    },
    categoryAxis: {
      axisLine: { lineStyle: { color: "#c9cdd4" } },
      axisTick: { show: false },
      axisLabel: { color: "#4e5969" },
      splitLine: { show: false },
    },
    valueAxis: {
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: "#86909c" },
      splitLine: { lineStyle: { color: "#edeff3", type: "dashed" } },
      nameTextStyle: { color: "#86909c", align: "left" },
    },
    line: { symbol: "circle", symbolSize: 6, lineStyle: { width: 2 } },
    bar: { itemStyle: { borderRadius: [2, 2, 0, 0] } },
  };

  var themeRegistered = false;
  var observers = new WeakMap();

  function echartsReady() {
    if (!window.echarts) {
      if (window.console) console.warn("JianduCharts: echarts.min.js is not loaded on this page");
      return false;
    }
    if (!themeRegistered) {
      window.echarts.registerTheme("jiandu", THEME);
      themeRegistered = true;
    }
    return true;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function merge(target, source) {
    Object.keys(source || {}).forEach(function (key) {
      if (isObject(source[key]) && isObject(target[key])) {
        merge(target[key], source[key]);
      } else {
        target[key] = source[key];
      }
    });
    return target;
  }

  // Data for a chart: the JSON script named by data-chart-data (an id, as written by
  // {{ value|json_script:"id" }}), else a JSON script inside the chart element.
  function readData(el) {
    var id = el.getAttribute("data-chart-data");
    var node = id
      ? document.getElementById(id)
      : el.querySelector('script[type="application/json"]');
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      if (window.console) console.error("JianduCharts: invalid JSON in #" + node.id, e);
      return null;
    }
  }

  function specFor(el, given) {
    return merge(merge({}, readData(el) || {}), given || {});
  }

  // Attach urls (parallel array) to data points, so a click opens the records behind them.
  function withUrls(data, urls) {
    if (!Array.isArray(urls)) return data;
    return data.map(function (value, i) {
      var point = isObject(value) ? merge({}, value) : { value: value };
      if (urls[i]) point.url = urls[i];
      return point;
    });
  }

  function pointTone(data) {
    return data.map(function (value) {
      if (isObject(value) && value.tone && TONES[value.tone]) {
        var point = merge({}, value);
        point.itemStyle = merge({ color: TONES[value.tone] }, value.itemStyle || {});
        return point;
      }
      return value;
    });
  }

  function emptyOption() {
    return {
      title: {
        text: "暂无数据",
        left: "center",
        top: "middle",
        textStyle: { color: "#86909c", fontSize: 14, fontWeight: 400 },
      },
    };
  }

  function mount(el, option) {
    if (!echartsReady()) return null;
    var existing = window.echarts.getInstanceByDom(el);
    if (existing) existing.dispose();
    var chart = window.echarts.init(el, "jiandu", { locale: "ZH" });
    // The tooltip is drawn on the canvas: ECharts' HTML tooltip writes its markup with
    // style="…" attributes, which the Content-Security-Policy (style-src 'self') blocks.
    if (option.tooltip) option.tooltip = merge({ renderMode: "richText" }, option.tooltip);
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) window.location.assign(url);
    });
    if (window.ResizeObserver && !observers.has(el)) {
      var observer = new ResizeObserver(function () {
        var instance = window.echarts.getInstanceByDom(el);
        if (instance) instance.resize();
      });
      observer.observe(el);
      observers.set(el, observer);
    }
    return chart;
  }

  function unitFormatter(unit) {
    return unit
      ? function (value) { return value == null ? "-" : value + " " + unit; }
      : undefined;
  }

  function cartesian(type, spec) {
    var categories = spec.categories || [];
    var series = (spec.series || []).map(function (s) {
      var item = {
        type: s.type || type,
        name: s.name,
        data: pointTone(withUrls(s.data || [], s.urls)),
        stack: s.stack,
        yAxisIndex: s.axis === "right" ? 1 : 0,
      };
      if (item.type === "line") {
        item.smooth = Boolean(s.smooth);
        if (s.area) item.areaStyle = { opacity: 0.12 };
      } else {
        item.barMaxWidth = 28;
      }
      if (spec.labels || s.labels) {
        item.label = { show: true, position: spec.horizontal ? "right" : "top", fontSize: 11 };
      }
      return item;
    });
    if (!categories.length || !series.length) return emptyOption();

    var hasTitle = Boolean(spec.title);
    var categoryAxis = { type: "category", data: categories, boundaryGap: type === "bar" };
    var valueAxes = [{ type: "value", name: spec.unit || "", minInterval: spec.integer ? 1 : 0 }];
    if (spec.rightUnit !== undefined) {
      valueAxes.push({ type: "value", name: spec.rightUnit, splitLine: { show: false } });
    }
    var option = {
      tooltip: {
        trigger: "axis",
        axisPointer: { type: type === "bar" ? "shadow" : "line" },
        valueFormatter: unitFormatter(spec.unit),
      },
      grid: {
        left: 8,
        right: 16,
        top: (hasTitle ? 34 : 0) + (series.length > 1 ? 34 : 12) + (spec.unit ? 14 : 0),
        bottom: 8,
        containLabel: true,
      },
      xAxis: spec.horizontal ? valueAxes[0] : categoryAxis,
      yAxis: spec.horizontal ? merge(categoryAxis, { inverse: true }) : valueAxes,
      series: series,
    };
    if (series.length > 1) option.legend = { top: hasTitle ? 30 : 0, left: "center" };
    if (hasTitle) option.title = { text: spec.title, subtext: spec.subtitle, left: 0, top: 0 };
    return option;
  }

  function pieOption(spec) {
    var items = pointTone(spec.items || []);
    if (!items.length) return emptyOption();
    var option = {
      tooltip: { trigger: "item", formatter: "{b}：{c}" + (spec.unit || "") + "（{d}%）" },
      legend: { type: "scroll", orient: "vertical", right: 8, top: "middle" },
      series: [
        {
          type: "pie",
          name: spec.name || "",
          radius: spec.donut === false ? "70%" : ["42%", "70%"],
          center: ["38%", "50%"],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: "#fff", borderWidth: 2 },
          label: { formatter: "{b}\n{d}%", fontSize: 12 },
          data: items,
        },
      ],
    };
    if (spec.title) option.title = { text: spec.title, left: 0, top: 0 };
    return option;
  }

  function mapOption(spec) {
    var items = (spec.items || []).map(function (item) {
      var point = merge({}, item);
      if (item.tone && TONES[item.tone]) {
        point.itemStyle = merge({ areaColor: TONES[item.tone] }, item.itemStyle || {});
      }
      return point;
    });
    var toned = items.some(function (item) { return Boolean(item.tone); });
    var values = items
      .map(function (item) { return Number(item.value); })
      .filter(function (v) { return !isNaN(v); });
    var option = {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var value = p.data && p.data.value != null ? p.data.value : "-";
          var label = p.data && p.data.label ? "（" + p.data.label + "）" : "";
          return p.name + "：" + value + (spec.unit || "") + label;
        },
      },
      series: [
        {
          type: "map",
          map: spec.map,
          roam: Boolean(spec.roam),
          selectedMode: false,
          label: { show: true, fontSize: 11, color: "#1f2329" },
          itemStyle: { areaColor: "#eef1f5", borderColor: "#ffffff", borderWidth: 1 },
          emphasis: {
            label: { color: "#000" },
            itemStyle: { areaColor: "#f3e6c4" },
          },
          data: items,
        },
      ],
    };
    if (!toned && values.length) {
      option.visualMap = {
        min: Math.min.apply(null, values),
        max: Math.max.apply(null, values),
        left: 8,
        bottom: 8,
        calculable: true,
        text: ["高", "低"],
        inRange: { color: ["#f8e3e1", "#c0392b", "#7a1515"] },
      };
    }
    if (spec.title) option.title = { text: spec.title, left: 0, top: 0 };
    return option;
  }

  var JianduCharts = {
    tones: TONES,
    theme: THEME,
    readData: readData,

    // spec: {categories: [...], series: [{name, data, urls?, area?, stack?, axis?}],
    //        unit?, title?, integer?, labels?, option?: raw ECharts overrides}
    line: function (el, spec) {
      spec = specFor(el, spec);
      return mount(el, merge(cartesian("line", spec), spec.option || {}));
    },

    // Same spec as line, plus horizontal: true for ranking bars.
    bar: function (el, spec) {
      spec = specFor(el, spec);
      return mount(el, merge(cartesian("bar", spec), spec.option || {}));
    },

    // spec: {items: [{name, value, url?, tone?}], unit?, title?, donut?}
    pie: function (el, spec) {
      spec = specFor(el, spec);
      return mount(el, merge(pieOption(spec), spec.option || {}));
    },

    // spec: {map: "kunming", geojson: "/static/jiandu/geo/kunming.geojson",
    //        items: [{name: "五华区", value, tone?: "green|yellow|orange|red", label?, url?}]}
    map: function (el, spec) {
      spec = specFor(el, spec);
      if (!echartsReady()) return Promise.resolve(null);
      var load = window.echarts.getMap(spec.map)
        ? Promise.resolve()
        : fetch(spec.geojson, { credentials: "same-origin" })
            .then(function (r) {
              if (!r.ok) throw new Error("HTTP " + r.status);
              return r.json();
            })
            .then(function (geo) { window.echarts.registerMap(spec.map, geo); });
      return load.then(
        function () { return mount(el, merge(mapOption(spec), spec.option || {})); },
        function (error) {
          if (window.console) console.error("JianduCharts: map data failed to load", error);
          return mount(el, emptyOption());
        }
      );
    },

    // spec: {option: a complete ECharts option}
    raw: function (el, spec) {
      spec = specFor(el, spec);
      return mount(el, spec.option || emptyOption());
    },

    // Initialise every [data-chart="line|bar|pie|map|raw"] inside root.
    initAll: function (root) {
      root = root || document;
      var nodes = [];
      if (root.matches && root.matches("[data-chart]")) nodes.push(root);
      if (root.querySelectorAll) {
        nodes = nodes.concat(Array.prototype.slice.call(root.querySelectorAll("[data-chart]")));
      }
      if (!nodes.length || !echartsReady()) return;
      nodes.forEach(function (el) {
        var kind = el.getAttribute("data-chart");
        if (typeof JianduCharts[kind] === "function" && kind !== "initAll") {
          JianduCharts[kind](el);
        }
      });
    },

    // Release charts inside root before it leaves the page.
    disposeAll: function (root) {
      if (!window.echarts || !root) return;
      var nodes = [];
      if (root.matches && root.matches("[data-chart]")) nodes.push(root);
      if (root.querySelectorAll) {
        nodes = nodes.concat(Array.prototype.slice.call(root.querySelectorAll("[data-chart]")));
      }
      nodes.forEach(function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) chart.dispose();
        var observer = observers.get(el);
        if (observer) {
          observer.disconnect();
          observers.delete(el);
        }
      });
    },
  };

  window.JianduCharts = JianduCharts;

  // ---------------------------------------------------------------------------
  // htmx glue
  // ---------------------------------------------------------------------------

  var HTTP_MESSAGES = {
    400: "提交的内容有误，请检查后重试。",
    403: "您没有执行此操作的权限。",
    404: "记录不存在或不在您的管辖范围内。",
    409: "记录已被他人修改，请刷新页面后重试。",
    413: "上传的文件过大。",
    429: "操作过于频繁，请稍后再试。",
  };

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap) return;
    var target = event.detail.target;
    // An outerHTML swap replaces the target itself; innerHTML only its children.
    JianduCharts.disposeAll(target);
  });

  document.addEventListener("htmx:load", function (event) {
    JianduCharts.initAll(event.target);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var text = HTTP_MESSAGES[status];
    if (!text) {
      text = status >= 500
        ? "系统处理出错（" + status + "），请稍后重试；如持续出现请联系系统管理员。"
        : "操作未完成（" + status + "）。";
    }
    showMessage(text, "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showMessage("无法连接服务器，请检查网络后重试。", "error");
  });

  // Close the narrow-screen navigation when htmx navigates (hx-boost, hx-push-url).
  document.addEventListener("htmx:pushedIntoHistory", function () {
    setNavOpen(false);
  });

  // Pages without htmx: initialise charts once the document is ready. With htmx, the
  // htmx:load event above fires for the initial body as well.
  function ready() {
    if (!window.htmx) JianduCharts.initAll(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// Forms that ask before they submit: <form data-confirm="确认…？">.
document.addEventListener(
  "submit",
  (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// Search boxes inside a form where Enter must not submit the form (pickers).
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-enter-does-not-submit]")) {
    event.preventDefault();
  }
});

// A form sent once is not sent again while its answer is on the way: a double click on
// 保存 would otherwise post the form twice and create the record twice. Only forms that
// post and leave the page (htmx forms, whose requests htmx handles, call preventDefault
// first; GET forms are filters). A form whose answer does not leave the page (a
// download) can be sent again after a few seconds, and on coming back to a page kept by
// the browser (back button).
(() => {
  const release = (form) => {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
  };
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    const method = (event.submitter && event.submitter.getAttribute("formmethod")) || form.method;
    if ((method || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(() => release(form), 8000);
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();
