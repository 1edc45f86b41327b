"""A small XML-RPC client for preparing data in a running Odoo server, as a real client would."""
import xmlrpc.client


class OdooRpc:
    def __init__(self, url, database, login="admin", password="admin"):
        self.url = url
        self.database = database
        self.password = password
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(database, login, password, {})
        if not self.uid:
            raise PermissionError("cannot log in to %s as %s" % (database, login))
        self._object = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self._object.execute_kw(
            self.database, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call("ir.model.data", "search_read",
                         [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        if not rows:
            raise LookupError(xmlid)
        return rows[0]["res_id"]

    def ensure_user(self, login, password, group_xmlids, name=None, **extra):
        """The user with exactly these groups (created once, password reset every time).
        ``extra``: other values such as ``email`` (needed to post in the chatter)."""
        group_ids = [self.ref(xmlid) for xmlid in group_xmlids]
        found = self.call("res.users", "search", [("login", "=", login)])
        values = dict(extra, name=name or login, login=login, password=password,
                      groups_id=[(6, 0, group_ids)])
        if found:
            self.call("res.users", "write", found, values)
            return found[0]
        return self.call("res.users", "create", values)
