import { formatConnectionTime, formatEndpointTime } from './clock.ts';
import type { ServiceError, WireResponse } from './protocol.ts';
import { hexId } from './random.ts';
import type { Connection, Endpoint } from './state.ts';
import { items, renderXml, XML_DECLARATION, type XmlNode, xmlDocument } from './xml.ts';

/**
 * EC2 Query (2016-11-15) XML, exactly as EC2 writes it: output members directly under `<{Op}Response>`,
 * list members in lowercase `<item>`, an empty list as `<name/>`, every value escaped.
 */

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const ec2Headers = (requestId: string): Record<string, string> => ({
  'content-type': 'text/xml;charset=UTF-8',
  'x-amzn-requestid': requestId,
  server: 'AmazonEC2',
});

/** `<{action}Response xmlns=…><requestId>…</requestId>…members…</{action}Response>`, HTTP 200. */
export const ec2Response = (
  action: string,
  requestId: string,
  members: readonly XmlNode[],
): WireResponse => ({
  status: 200,
  headers: ec2Headers(requestId),
  body: xmlDocument(`${action}Response`, NAMESPACE, [['requestId', requestId], ...members]),
});

/** The EC2 error envelope; note `RequestID` here versus `requestId` on success. */
export const ec2ErrorResponse = (requestId: string, error: ServiceError): WireResponse => ({
  status: error.status,
  headers: ec2Headers(requestId),
  body:
    XML_DECLARATION +
    renderXml([
      'Response',
      [
        [
          'Errors',
          [
            [
              'Error',
              [
                ['Code', error.code],
                ['Message', error.message],
              ],
            ],
          ],
        ],
        ['RequestID', requestId],
      ],
    ]),
  errorCode: error.code,
});

/** A `ClientVpnConnection`; every member is a string, `connectionEndTime` is `-` while not terminated. */
export const connectionXml = (c: Connection, now: number): XmlNode[] => [
  ['clientVpnEndpointId', c.endpoint.id],
  ['timestamp', formatConnectionTime(c.endedAt ?? now)],
  ['connectionId', c.id],
  ['username', c.username === '' ? undefined : c.username],
  ['connectionEstablishedTime', formatConnectionTime(c.establishedAt)],
  ['ingressBytes', String(c.ingressBytes)],
  ['egressBytes', String(c.egressBytes)],
  ['ingressPackets', String(c.ingressPackets)],
  ['egressPackets', String(c.egressPackets)],
  ['clientIp', c.clientIp],
  ['commonName', c.commonName],
  ['status', statusXml(c.status, c.statusMessage)],
  ['connectionEndTime', c.endedAt === undefined ? '-' : formatConnectionTime(c.endedAt)],
  ['postureComplianceStatusSet', items(c.postureComplianceStatuses, (s) => s)],
];

export const statusXml = (code: string, message?: string): XmlNode[] => [
  ['code', code],
  ['message', message],
];

const authenticationXml = (e: Endpoint): XmlNode[] => {
  switch (e.authType) {
    case 'saml':
      return [
        ['type', 'federated-authentication'],
        [
          'federatedAuthentication',
          [['samlProviderArn', `arn:aws:iam::${e.accountId}:saml-provider/ClientVPN-IdP`]],
        ],
      ];
    case 'active-directory':
      return [
        ['type', 'directory-service-authentication'],
        ['activeDirectory', [['directoryId', `d-${hexId(`${e.id}/directory`, 10)}`]]],
      ];
    case 'certificate':
      return [
        ['type', 'certificate-authentication'],
        ['mutualAuthentication', [['clientRootCertificateChain', certificateArn(e, 'client-root')]]],
      ];
  }
};

const certificateArn = (e: Endpoint, purpose: string): string => {
  const h = hexId(`${e.id}/${purpose}`, 32);
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:acm:${e.region}:${e.accountId}:certificate/${uuid}`;
};

/**
 * A `ClientVpnEndpoint` with the members of the reference's §2.3, deterministic where not seeded; ARNs name
 * the endpoint's account.
 */
export const endpointXml = (e: Endpoint): XmlNode[] => [
  ['clientVpnEndpointId', e.id],
  ['description', e.description],
  ['status', statusXml(e.status)],
  ['creationTime', formatEndpointTime(e.createdAt)],
  ['dnsName', `*.${e.id}.prod.clientvpn.${e.region}.amazonaws.com`],
  ['clientCidrBlock', `10.${e.cidrOctet}.0.0/16`],
  ['dnsServer', items(['10.0.0.2'], (s) => s)],
  ['splitTunnel', e.splitTunnel],
  ['vpnProtocol', 'openvpn'],
  ['transportProtocol', e.transportProtocol],
  ['vpnPort', e.vpnPort],
  ['serverCertificateArn', certificateArn(e, 'server')],
  ['authenticationOptions', items([e], authenticationXml)],
  ['connectionLogOptions', [['Enabled', false]]],
  [
    'tagSet',
    items(Object.entries(e.tags), ([key, value]) => [
      ['key', key],
      ['value', value],
    ]),
  ],
  ['securityGroupIdSet', items([`sg-0${hexId(`${e.id}/sg`, 16)}`], (s) => s)],
  ['vpcId', `vpc-0${hexId(`${e.id}/vpc`, 16)}`],
  [
    'selfServicePortalUrl',
    e.authType === 'saml' ? `https://self-service.clientvpn.amazonaws.com/endpoints/${e.id}` : undefined,
  ],
  [
    'clientConnectOptions',
    [
      ['enabled', e.clientConnect.enabled],
      ['lambdaFunctionArn', e.clientConnect.lambdaFunctionArn],
      ['status', [['code', 'applied']]],
    ],
  ],
  ['sessionTimeoutHours', e.sessionTimeoutHours],
  ['clientLoginBannerOptions', [['enabled', false]]],
  ['clientRouteEnforcementOptions', [['enforced', false]]],
  ['disconnectOnSessionTimeout', e.disconnectOnSessionTimeout],
  ['endpointIpAddressType', 'ipv4'],
  ['trafficIpAddressType', 'ipv4'],
];
