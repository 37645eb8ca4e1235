// The seed's enrollment-page script (Authsignal's IdentityServer passkeys guide, wwwroot/js/passkeys.js),
// loaded after the SDK's prebuilt bundle. Measured by bench/element-size.ts; never run.
function addPasskey() {
  var client = new window.authsignal.Authsignal({
    tenantId: "YOUR_TENANT_ID",
    baseUrl: "https://api.authsignal.com/v1", // Update for your region
  });

  var token = document.getElementById("enrollmentToken").value;

  client.passkey.signUp({ token }).then((resultToken) => {
    if (resultToken) {
      alert("Passkey added");
    }
  });
}
