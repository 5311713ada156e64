/** The IdP's own pages. Plain HTML with no external assets: the machine it runs on may be offline. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:1.5rem 2rem;border-radius:6px;box-shadow:0 1px 3px #0003}
h1{font-size:1.3rem;margin:.2rem 0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#1f5493;color:#fff;border:0;border-radius:4px;cursor:pointer}
.stand-in{font-size:.8rem;color:#6b4e00;background:#fff4ce;padding:.4rem .6rem;border-radius:4px}
.error{color:#b00020;background:#fdecea;padding:.5rem .6rem;border-radius:4px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<p class="stand-in">Catalyst development identity provider: a stand-in for Keycloak, not a real identity provider.</p>
${body}
</main></body>
</html>`;
}

export function loginPage(options: { realm: string; action: string; username?: string; error?: string }): string {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    `Sign in to ${options.realm}`,
    `<h1>Sign in to realm ${escapeHtml(options.realm)}</h1>
${error}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" value="${escapeHtml(options.username ?? '')}" autofocus required>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
<p style="font-size:.8rem">The demo users and their passwords are listed in packages/idp/README.md.</p>`,
  );
}

/**
 * RP-initiated logout asks before signing out, as Keycloak does; `form` is oidc-provider's own
 * form with its anti-forgery field, submitted by the button.
 */
export function logoutPage(realm: string, form: string): string {
  return page(
    `Sign out of ${realm}`,
    `<h1>Sign out of realm ${escapeHtml(realm)}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
