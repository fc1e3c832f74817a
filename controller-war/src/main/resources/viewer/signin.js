// Sign-in. A token pasted into the form, or given in the address's fragment (#token=…) for
// scripted use, is posted once to this server's /set-cookie, which keeps it in an HttpOnly,
// SameSite=Strict cookie; the page keeps no copy, and the stream and recent logs then go with the
// cookie. A fragment is never sent to a server; the page takes it off the address before the post.

/** The token of a #token=… fragment, which is removed from the address; else null. */
export function takeTokenFromFragment() {
  if (!location.hash.startsWith('#')) return null;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return token.trim();
}

/** Posts the token to /set-cookie under base (the controller's root); the answer's status. */
export async function postToken(base, token) {
  const body = new URLSearchParams();
  body.set('CookieName', 'authorization');
  body.set('CookieValue', token.trim());
  try {
    const answer = await fetch(new URL('set-cookie', base), {
      method: 'POST',
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
    return answer.status;
  } catch (e) {
    return 0;
  }
}

/** What to tell the user about a /set-cookie answer that was not 200. */
export function refusal(status) {
  switch (status) {
    case 400: return 'That is not a token: paste the whole JWT (three parts separated by dots).';
    case 403: return 'This server sets its cookie only for its own pages.';
    case 0: return 'The server cannot be reached; try again.';
    default: return `The server refused to sign in (${status}).`;
  }
}
