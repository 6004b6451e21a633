import base64

from .common import DealerCase


class TestReadGroupAccess(DealerCase):
    """Grouping attachments and messages shows only those the user may read: Odoo 11's read_group
    of ir.attachment and mail.message grouped every one of the database, whoever asked (fixed in
    the compatibility layer, runtime/b2b_compat/read_group_access.py)."""

    @classmethod
    def setUpClass(cls):
        super(TestReadGroupAccess, cls).setUpClass()
        cls.manager_ivan = cls.env.ref("b2b_base.demo_user_manager_ivan")  # «Альфа»'s manager
        cls.manager_olga = cls.env.ref("b2b_base.demo_user_manager_olga")  # «Бета»'s manager
        document = cls.env["b2b.document"].create({
            "name": "Счёт Беты 17", "kind": "invoice", "contract_id": cls.c_beta.id,
            "partner_id": cls.beta.id, "file_name": "schet-bety-17.txt",
            "file_data": base64.b64encode(b"invoice of Beta")})
        cls.beta_file = document.attachment_id
        cls.beta_contract = cls.c_beta.message_post(
            body="Письмо по договору Беты", message_type="comment",
            subtype="mail.mt_comment").record_name

    def file_names(self, user):
        groups = self.env["ir.attachment"].sudo(user).read_group(
            [("res_model", "=", "b2b.document")], ["datas_fname"], ["datas_fname"])
        return {group["datas_fname"] for group in groups}

    def documents_with_messages(self, user):
        groups = self.env["mail.message"].sudo(user).read_group(
            [("model", "=", "b2b.contract")], ["record_name"], ["record_name"])
        return {group["record_name"] for group in groups}

    def test_another_dealers_files_are_not_grouped(self):
        self.assertEqual(self.beta_file.datas_fname, "schet-bety-17.txt")
        for user in (self.u_alfa_admin, self.u_alfa_buyer, self.u_alfa_outlet, self.manager_ivan):
            self.assertNotIn("schet-bety-17.txt", self.file_names(user), user.login)
        for user in (self.u_beta_admin, self.manager_olga):
            self.assertIn("schet-bety-17.txt", self.file_names(user), user.login)

    def test_another_dealers_documents_are_not_named_by_their_messages(self):
        beta_contract = self.beta_contract
        self.assertIn("Б-001/2026", beta_contract)
        self.assertIn(beta_contract, self.documents_with_messages(self.env.user))
        for user in (self.u_alfa_admin, self.u_alfa_buyer, self.u_alfa_outlet, self.manager_ivan):
            self.assertNotIn(beta_contract, self.documents_with_messages(user), user.login)
        for user in (self.u_beta_admin, self.manager_olga):
            self.assertIn(beta_contract, self.documents_with_messages(user), user.login)
