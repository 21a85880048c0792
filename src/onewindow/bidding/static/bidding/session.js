/* The live evaluation room: one WebSocket per screen.
 * The server sends the whole state on every (re)connect and then events; the page applies them.
 * Actions (score, compliance, chair vote, close, message) go over the same socket; the server
 * answers "ack" or "error" with a Chinese message, and a refused score is put back as it was.
 * A dropped connection is retried with back-off; on reconnect the state comes again from the
 * database, so nothing is lost. Nothing here is trusted: the server checks everything. */
(function () {
  "use strict";

  var root = document.getElementById("session");
  if (!root) { return; }
  var state = JSON.parse(document.getElementById("session-state").textContent);
  var me = state.me.member;
  var statusEl = document.getElementById("live-status");
  var errorEl = document.getElementById("live-error");
  var socket = null;
  var attempts = 0;
  var seq = 0;
  var pending = {};          // ref -> {onAck, onError}
  var saved = {};            // "bid-criterion" -> my saved points (to undo a refused entry)
  var filled = {};           // "member-bid-criterion" -> true

  var LABELS = {
    connecting: "正在连接评标室…",
    open: "已连接：各场地的评分和讨论实时同步。",
    closed: "连接中断，正在重新连接…（已保存的内容不会丢失）",
    refused: "无法进入评标室。"
  };

  function setStatus(name) {
    statusEl.dataset.state = name;
    statusEl.textContent = LABELS[name];
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = false;
  }

  function clearError() {
    errorEl.hidden = true;
    errorEl.textContent = "";
  }

  function key() { return Array.prototype.join.call(arguments, "-"); }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    setStatus("connecting");
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket.onopen = function () { attempts = 0; setStatus("open"); };
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function (e) {
      failPending();
      if (e.code >= 4400 && e.code < 4500) { setStatus("refused"); return; }
      setStatus("closed");
      attempts += 1;
      window.setTimeout(connect, Math.min(250 * attempts * attempts, 5000));
    };
  }

  function failPending() {
    Object.keys(pending).forEach(function (ref) {
      var p = pending[ref];
      delete pending[ref];
      if (p.onError) { p.onError(); }
    });
  }

  function send(message, onAck, onError) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      showError("连接中断，正在重新连接，请稍后再试。");
      if (onError) { onError(); }
      return;
    }
    seq += 1;
    message.ref = String(seq);
    pending[message.ref] = { onAck: onAck, onError: onError };
    socket.send(JSON.stringify(message));
  }

  function handle(msg) {
    var p = msg.ref ? pending[msg.ref] : null;
    if (msg.ref) { delete pending[msg.ref]; }
    if (msg.type === "state") {
      applyState(msg.state);
    } else if (msg.type === "event") {
      applyEvent(msg.event, msg.payload);
    } else if (msg.type === "error") {
      showError(msg.detail);
      if (p && p.onError) { p.onError(); }
    } else if (msg.type === "ack") {
      clearError();
      if (p && p.onAck) { p.onAck(); }
    }
  }

  /* The state: everything the screen shows. A change of phase (chair elected, scoring
   * closed, report confirmed) redraws the page from the server; values are applied in place. */
  function applyState(next) {
    var phaseChanged = next.chair !== state.chair || next.scoring_open !== state.scoring_open ||
      next.tender.state !== state.tender.state;
    if (phaseChanged) { window.location.reload(); return; }
    state = next;
    document.getElementById("tender-state").textContent = next.tender.state_label;
    next.members.forEach(function (m) { setProgress(m.id, m.scored, m.total); });
    filled = {};
    next.filled.forEach(function (cell) { filled[key(cell[0], cell[1], cell[2])] = true; });
    countFilled();
    next.scores.forEach(function (s) {
      if (s.member === me) { setMine(s.bid, s.criterion, s.points); }
    });
    next.bids.forEach(setCompliance);
    renderMessages(next.messages);
  }

  function applyEvent(name, payload) {
    if (name === "score") {
      filled[key(payload.member_id, payload.bid_id, payload.criterion_id)] = true;
      countFilled();
      if (payload.member_id === me && payload.points !== undefined) {
        setMine(payload.bid_id, payload.criterion_id, payload.points);
      }
    } else if (name === "progress") {
      setProgress(payload.member_id, payload.scored, payload.total);
    } else if (name === "message") {
      appendMessage(payload);
    }
  }

  function setProgress(memberId, scored, total) {
    var el = root.querySelector('[data-progress="' + memberId + '"]');
    if (el) { el.textContent = scored + "/" + total; }
  }

  function countFilled() {
    var counts = {};
    Object.keys(filled).forEach(function (k) {
      var parts = k.split("-");
      var cell = key(parts[1], parts[2]);
      counts[cell] = (counts[cell] || 0) + 1;
    });
    root.querySelectorAll("[data-filled]").forEach(function (el) {
      el.textContent = String(counts[el.dataset.filled] || 0);
    });
  }

  function setMine(bid, criterion, points) {
    var k = key(bid, criterion);
    saved[k] = points;
    var input = root.querySelector('input[data-score][data-bid="' + bid + '"][data-criterion="' + criterion + '"]');
    if (input && document.activeElement !== input) { input.value = points; }
    cellStatus(k, "已保存");
  }

  function cellStatus(k, text) {
    var el = root.querySelector('[data-cell-status="' + k + '"]');
    if (el) { el.textContent = text; }
  }

  function setCompliance(bid) {
    var badge = root.querySelector('[data-compliance="' + bid.id + '"]');
    var reason = root.querySelector('[data-reason="' + bid.id + '"]');
    if (badge) { badge.textContent = bid.compliance_label; }
    if (reason) { reason.textContent = bid.reason; }
    root.querySelectorAll('input[data-score][data-bid="' + bid.id + '"]').forEach(function (input) {
      input.disabled = bid.compliance === "failed";
    });
  }

  function messageItem(m) {
    var li = document.createElement("li");
    li.dataset.message = String(m.id);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = m.author + " · " + m.venue;
    var text = document.createElement("span");
    text.className = "session-message-text";
    text.textContent = m.text;
    li.appendChild(meta);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(text);
    return li;
  }

  function renderMessages(list) {
    var ol = document.getElementById("messages");
    if (!list.length) { return; }
    ol.replaceChildren.apply(ol, list.map(messageItem));
  }

  function appendMessage(m) {
    var ol = document.getElementById("messages");
    if (ol.querySelector('[data-message="' + m.id + '"]')) { return; }
    var empty = ol.querySelector("[data-empty]");
    if (empty) { empty.remove(); }
    ol.appendChild(messageItem(m));
  }

  /* What the expert does. */
  function onScoreChange(input) {
    var k = key(input.dataset.bid, input.dataset.criterion);
    if (input.value === "" || input.value === saved[k]) { return; }
    cellStatus(k, "保存中…");
    send({ action: "score", bid: Number(input.dataset.bid), criterion: Number(input.dataset.criterion),
           points: input.value },
         null,
         function () {
           input.value = saved[k] === undefined ? "" : saved[k];
           cellStatus(k, saved[k] === undefined ? "未保存" : "已保存");
         });
  }

  root.addEventListener("change", function (e) {
    if (e.target.matches("input[data-score]")) { onScoreChange(e.target); }
  });

  root.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (!button) { return; }
    if (button.dataset.action === "chair") {
      send({ action: "chair", member: Number(button.dataset.member) }, function () {
        button.textContent = "已投票";
        root.querySelectorAll('button[data-action="chair"]').forEach(function (b) { b.disabled = true; });
      });
    } else if (button.dataset.action === "close") {
      send({ action: "close" });
    }
  });

  root.addEventListener("submit", function (e) {
    var form = e.target;
    e.preventDefault();
    if (form.dataset.action === "message") {
      var area = form.querySelector("textarea");
      send({ action: "message", text: area.value }, function () { area.value = ""; });
    } else if (form.dataset.action === "compliance") {
      var passed = e.submitter ? e.submitter.value === "true" : true;
      send({ action: "compliance", bid: Number(form.dataset.bid), passed: passed,
             reason: form.querySelector("input[name=reason]").value });
    }
  });

  state.scores.forEach(function (s) { if (s.member === me) { saved[key(s.bid, s.criterion)] = s.points; } });
  state.filled.forEach(function (cell) { filled[key(cell[0], cell[1], cell[2])] = true; });
  connect();
  /* A safety net: once a minute an idle screen asks for the whole state again, so that even
   * an event lost on the way (a full queue, a restarted server) is repaired. */
  window.setInterval(function () {
    if (socket && socket.readyState === WebSocket.OPEN && !Object.keys(pending).length) {
      socket.send(JSON.stringify({ action: "reload" }));
    }
  }, 60000);
}());
