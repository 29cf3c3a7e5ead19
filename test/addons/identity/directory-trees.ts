// The seeded directories of the slapd tests.

/**
 * OpenLDAP-shaped: inetOrgPerson users under ou=people, groupOfNames under ou=groups, nested
 * two levels (team-orders ⊂ developers ⊂ engineering) with a cycle back (engineering ⊂
 * developers), and decoys the preset must not pick up: a posixGroup naming jane by uid, a
 * groupOfNames outside ou=groups, and a second `uid=jane` outside ou=people.
 */
export const OPENLDAP_TREE = `dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: ou=services,dc=example,dc=com
objectClass: organizationalUnit
ou: services

dn: ou=archive,dc=example,dc=com
objectClass: organizationalUnit
ou: archive

dn: cn=dex,ou=services,dc=example,dc=com
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: dex
userPassword: bind-secret

dn: uid=jane,ou=services,dc=example,dc=com
objectClass: account
objectClass: simpleSecurityObject
uid: jane
userPassword: not-a-person

dn: uid=jane,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: jane
cn: Jane Doe
sn: Doe
mail: jane@example.com
userPassword: jane-password

dn: uid=john,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: john
cn: John Roe
sn: Roe
mail: john@example.com
userPassword: john-password

dn: uid=nomail,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: nomail
cn: No Mail
sn: Mail
userPassword: nomail-password

dn: cn=team-orders,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: team-orders
member: uid=jane,ou=people,dc=example,dc=com

dn: cn=developers,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: developers
member: cn=team-orders,ou=groups,dc=example,dc=com
member: cn=engineering,ou=groups,dc=example,dc=com

dn: cn=engineering,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: engineering
member: cn=developers,ou=groups,dc=example,dc=com

dn: cn=platform-admins,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: platform-admins
member: uid=john,ou=people,dc=example,dc=com

dn: cn=legacy,ou=groups,dc=example,dc=com
objectClass: posixGroup
cn: legacy
gidNumber: 5000
memberUid: jane

dn: cn=old-team,ou=archive,dc=example,dc=com
objectClass: groupOfNames
cn: old-team
member: uid=jane,ou=people,dc=example,dc=com
`;

/**
 * Active Directory-shaped, on OpenLDAP's copy of the AD schema (msuser.ldif): users signing in
 * by sAMAccountName, a disabled account (userAccountControl 514 = NORMAL_ACCOUNT | ACCOUNTDISABLE),
 * a computer (also a `user`), and security groups (groupType -2147483646, global security)
 * nested one level: Team Payments ⊂ Engineering. Every AD object carries the attributes the
 * schema's `mstop` requires (instanceType, objectCategory, nTSecurityDescriptor; placeholder values).
 */
export const AD_TREE = `dn: DC=corp,DC=example
objectClass: dcObject
objectClass: organization
dc: corp
o: Corp

dn: OU=Staff,DC=corp,DC=example
objectClass: organizationalUnit
ou: Staff

dn: OU=Groups,DC=corp,DC=example
objectClass: organizationalUnit
ou: Groups

dn: OU=Service Accounts,DC=corp,DC=example
objectClass: organizationalUnit
ou: Service Accounts

dn: OU=Computers,DC=corp,DC=example
objectClass: organizationalUnit
ou: Computers

dn: CN=svc-dex,OU=Service Accounts,DC=corp,DC=example
objectClass: user
objectClass: securityPrincipal
cn: svc-dex
sn: dex
sAMAccountName: svc-dex
userPrincipalName: svc-dex@corp.example
userAccountControl: 66048
userPassword: ad-bind-secret
instanceType: 4
objectCategory: CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=Ann Lee,OU=Staff,DC=corp,DC=example
objectClass: user
objectClass: securityPrincipal
cn: Ann Lee
sn: Lee
displayName: Ann Lee
sAMAccountName: alee
userPrincipalName: alee@corp.example
userAccountControl: 512
userPassword: ann-password
instanceType: 4
objectCategory: CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=Old Timer,OU=Staff,DC=corp,DC=example
objectClass: user
objectClass: securityPrincipal
cn: Old Timer
sn: Timer
displayName: Old Timer
sAMAccountName: otimer
userPrincipalName: otimer@corp.example
userAccountControl: 514
userPassword: old-password
instanceType: 4
objectCategory: CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=WS01,OU=Computers,DC=corp,DC=example
objectClass: computer
objectClass: securityPrincipal
cn: WS01
sn: WS01
sAMAccountName: WS01$
userPrincipalName: host/ws01@corp.example
userAccountControl: 4096
instanceType: 4
objectCategory: CN=Computer,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=Team Payments,OU=Groups,DC=corp,DC=example
objectClass: group
cn: Team Payments
groupType: -2147483646
member: CN=Ann Lee,OU=Staff,DC=corp,DC=example
instanceType: 4
objectCategory: CN=Group,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=Engineering,OU=Groups,DC=corp,DC=example
objectClass: group
cn: Engineering
groupType: -2147483646
member: CN=Team Payments,OU=Groups,DC=corp,DC=example
instanceType: 4
objectCategory: CN=Group,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=

dn: CN=Alumni,OU=Groups,DC=corp,DC=example
objectClass: group
cn: Alumni
groupType: -2147483646
member: CN=Old Timer,OU=Staff,DC=corp,DC=example
instanceType: 4
objectCategory: CN=Group,CN=Schema,CN=Configuration,DC=corp,DC=example
nTSecurityDescriptor:: AQAEgBQAAAAwAAAAAAAAAEwAAAA=
`;
