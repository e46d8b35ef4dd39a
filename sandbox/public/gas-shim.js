// google.script.run / google.script.host for sidebars and dialogs shown by the sandbox: a call POSTs
// {fn, args} to /api/run, then calls the success or failure handler (with the user object), as the
// Apps Script client does. Loaded before the page's own scripts.
(function () {
  'use strict';
  /** Apps Script sends a <form> argument as an object of its fields. */
  function toArg(a) {
    if (typeof HTMLFormElement !== 'undefined' && a instanceof HTMLFormElement) {
      const out = {};
      for (const el of a.elements) {
        if (!el.name || el.disabled) continue;
        if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
        out[el.name] = el.value;
      }
      return out;
    }
    return a;
  }
  function runner(success, failure, userObject) {
    return new Proxy({}, {
      get(_, name) {
        if (name === 'withSuccessHandler') return (f) => runner(f, failure, userObject);
        if (name === 'withFailureHandler') return (f) => runner(success, f, userObject);
        if (name === 'withUserObject') return (o) => runner(success, failure, o);
        if (typeof name !== 'string' || name === 'then') return undefined;
        return function () {
          const args = Array.prototype.map.call(arguments, toArg);
          fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fn: name, args: args }) })
            .then((r) => r.json())
            .then((out) => {
              if (out.ok) { if (success) success(out.result, userObject); }
              else {
                const err = new Error(out.error || 'Erreur du script');
                if (failure) failure(err, userObject);
                else console.error(err);
              }
            })
            .catch((e) => { if (failure) failure(e, userObject); else console.error(e); });
        };
      },
    });
  }
  window.google = window.google || {};
  window.google.script = {
    run: runner(null, null, undefined),
    host: {
      close: function () { window.parent.postMessage({ type: 'sirrius-close' }, location.origin); },
      setHeight: function () {},
      setWidth: function () {},
      editor: { focus: function () {} },
      origin: location.origin,
    },
    url: { getLocation: function (cb) { cb({ hash: '', parameter: {}, parameters: {} }); } },
  };
})();
