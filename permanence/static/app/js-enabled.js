// Loaded at the very top of <body> (not inline: the Content-Security-Policy allows only the site's own script files).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
