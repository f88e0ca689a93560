import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  paginateDescribeClientVpnConnections,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2Client, endpointWith, useEmulator } from './helpers.ts';

describe('EC2 Describe operations through @aws-sdk/client-ec2', () => {
  const emu = useEmulator();

  describe('DescribeClientVpnEndpoints', () => {
    beforeEach(() => {
      emu.seed({
        endpoints: [
          {
            id: 'cvpn-endpoint-a',
            region: 'us-east-1',
            authType: 'saml',
            tags: { 'client-vpn-revoker': 'enabled' },
          },
          {
            id: 'cvpn-endpoint-b',
            region: 'us-east-1',
            authType: 'active-directory',
            transportProtocol: 'tcp',
          },
          {
            id: 'cvpn-endpoint-c',
            region: 'us-east-1',
            status: 'deleting',
            description: 'Lab <old> & "odd"',
          },
          { id: 'cvpn-endpoint-d', region: 'us-east-1', status: 'deleted' },
          { id: 'cvpn-endpoint-e', region: 'us-east-1' },
          { id: 'cvpn-endpoint-f', region: 'us-east-1' },
          { id: 'cvpn-endpoint-g', region: 'us-east-1' },
          { id: 'cvpn-endpoint-eu', region: 'eu-west-1' },
        ],
      });
    });

    it('lists the region’s endpoints with their wire fields, escaping values', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const result = await ec2.send(new DescribeClientVpnEndpointsCommand({}));

      // Assess
      expect(result.$metadata.httpStatusCode).toBe(200);
      expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.NextToken).toBeUndefined();
      const ids = result.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId);
      expect(ids).toEqual([
        'cvpn-endpoint-a',
        'cvpn-endpoint-b',
        'cvpn-endpoint-c',
        'cvpn-endpoint-e',
        'cvpn-endpoint-f',
        'cvpn-endpoint-g',
      ]);
      const [saml, ad, deleting] = result.ClientVpnEndpoints ?? [];
      expect(saml).toMatchObject({
        Status: { Code: 'available' },
        Tags: [{ Key: 'client-vpn-revoker', Value: 'enabled' }],
        AuthenticationOptions: [{ Type: 'federated-authentication' }],
        ConnectionLogOptions: { Enabled: false },
        VpnPort: 443,
        TransportProtocol: 'udp',
        SessionTimeoutHours: 24,
        DisconnectOnSessionTimeout: true,
        DnsName: '*.cvpn-endpoint-a.prod.clientvpn.us-east-1.amazonaws.com',
      });
      expect(saml?.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(saml?.AuthenticationOptions?.[0]?.FederatedAuthentication?.SamlProviderArn).toMatch(
        /^arn:aws:iam::/,
      );
      expect(ad).toMatchObject({
        TransportProtocol: 'tcp',
        AuthenticationOptions: [{ Type: 'directory-service-authentication', ActiveDirectory: {} }],
        Tags: [],
      });
      expect(ad?.AuthenticationOptions?.[0]?.ActiveDirectory?.DirectoryId).toMatch(/^d-[0-9a-f]{10}$/);
      expect(deleting).toMatchObject({ Status: { Code: 'deleting' }, Description: 'Lab <old> & "odd"' });
    });

    it('pages with MaxResults and an opaque NextToken', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const first = await ec2.send(new DescribeClientVpnEndpointsCommand({ MaxResults: 5 }));
      const second = await ec2.send(
        new DescribeClientVpnEndpointsCommand({ MaxResults: 5, NextToken: first.NextToken }),
      );

      // Assess
      expect(first.ClientVpnEndpoints).toHaveLength(5);
      expect(first.NextToken).toEqual(expect.any(String));
      expect(second.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual(['cvpn-endpoint-g']);
      expect(second.NextToken).toBeUndefined();
    });

    it('selects by ClientVpnEndpointId.N and by the endpoint-id / transport-protocol filters', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const byId = await ec2.send(
        new DescribeClientVpnEndpointsCommand({
          ClientVpnEndpointIds: ['cvpn-endpoint-b', 'cvpn-endpoint-a'],
        }),
      );
      const byFilter = await ec2.send(
        new DescribeClientVpnEndpointsCommand({
          Filters: [
            { Name: 'endpoint-id', Values: ['cvpn-endpoint-a', 'cvpn-endpoint-b', 'cvpn-endpoint-c'] },
            { Name: 'transport-protocol', Values: ['udp'] },
          ],
        }),
      );

      // Assess
      expect(byId.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual([
        'cvpn-endpoint-a',
        'cvpn-endpoint-b',
      ]);
      expect(byFilter.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual([
        'cvpn-endpoint-a',
        'cvpn-endpoint-c',
      ]);
    });

    it('keeps regions apart on one port', async () => {
      // Prepare
      const eu = ec2Client(emu, 'eu-west-1');
      const apSouth = ec2Client(emu, 'ap-south-1');

      // Act
      const euEndpoints = await eu.send(new DescribeClientVpnEndpointsCommand({}));
      const none = await apSouth.send(new DescribeClientVpnEndpointsCommand({}));

      // Assess
      expect(euEndpoints.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual(['cvpn-endpoint-eu']);
      expect(none.ClientVpnEndpoints).toEqual([]);
    });
  });

  describe('DescribeClientVpnConnections', () => {
    beforeEach(() => {
      emu.seed({
        endpoints: [
          {
            id: 'cvpn-endpoint-saml',
            region: 'us-east-1',
            authType: 'saml',
            connections: [
              { id: 'cvpn-connection-00000000000000001', username: 'jane.doe@example.com' },
              { id: 'cvpn-connection-00000000000000002', username: 'Jane.Doe@example.com' },
              { id: 'cvpn-connection-00000000000000003', username: 'jane.doe@example.com.evil' },
              { id: 'cvpn-connection-00000000000000004', username: 'bob@example.com', status: 'terminated' },
              {
                id: 'cvpn-connection-00000000000000005',
                username: 'jane.doe@example.com',
                establishedAt: '2026-01-02T03:04:05Z',
                clientIp: '10.100.0.34',
              },
            ],
          },
          {
            id: 'cvpn-endpoint-cert',
            region: 'us-east-1',
            status: 'pending-associate',
            authType: 'certificate',
            connections: [{ id: 'cvpn-connection-00000000000000006', commonName: 'jane.doe@example.com' }],
          },
        ],
      });
    });

    it('renders every connection field as EC2 does', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const result = await ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          Filters: [{ Name: 'connection-id', Values: ['cvpn-connection-00000000000000005'] }],
        }),
      );

      // Assess
      expect(result.Connections).toEqual([
        {
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          ConnectionId: 'cvpn-connection-00000000000000005',
          Username: 'jane.doe@example.com',
          CommonName: '',
          ClientIp: '10.100.0.34',
          ConnectionEstablishedTime: '2026-01-02 03:04:05',
          ConnectionEndTime: '-',
          Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
          Status: { Code: 'active' },
          IngressBytes: expect.stringMatching(/^\d+$/),
          EgressBytes: expect.stringMatching(/^\d+$/),
          IngressPackets: expect.stringMatching(/^\d+$/),
          EgressPackets: expect.stringMatching(/^\d+$/),
          PostureComplianceStatuses: [],
        },
      ]);
    });

    it('filters by username exactly and case-sensitively', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const result = await ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          Filters: [{ Name: 'username', Values: ['jane.doe@example.com'] }],
        }),
      );

      // Assess
      expect(result.Connections?.map((c) => c.ConnectionId)).toEqual([
        'cvpn-connection-00000000000000001',
        'cvpn-connection-00000000000000005',
      ]);
    });

    it('ORs the values of one filter and ANDs different filters', async () => {
      // Prepare
      const ec2 = ec2Client(emu);
      const ids = [
        'cvpn-connection-00000000000000004',
        'cvpn-connection-00000000000000002',
        'cvpn-connection-0nope',
      ];

      // Act
      const byIds = await ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          Filters: [{ Name: 'connection-id', Values: ids }],
        }),
      );
      const both = await ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          Filters: [
            { Name: 'connection-id', Values: ids },
            { Name: 'username', Values: ['Jane.Doe@example.com', 'nobody'] },
          ],
        }),
      );

      // Assess
      expect(byIds.Connections?.map((c) => [c.ConnectionId, c.Status?.Code])).toEqual([
        ['cvpn-connection-00000000000000002', 'active'],
        ['cvpn-connection-00000000000000004', 'terminated'],
      ]);
      expect(both.Connections?.map((c) => c.ConnectionId)).toEqual(['cvpn-connection-00000000000000002']);
    });

    it('describes connections of an endpoint that is not available; certificate rows have no Username', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const result = await ec2.send(
        new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: 'cvpn-endpoint-cert' }),
      );

      // Assess
      expect(result.Connections).toHaveLength(1);
      expect(result.Connections?.[0]).toMatchObject({
        CommonName: 'jane.doe@example.com',
        Status: { Code: 'active' },
      });
      expect(result.Connections?.[0]?.Username).toBeUndefined();
    });

    it('answers an empty list as Connections: []', async () => {
      // Prepare
      const ec2 = ec2Client(emu);

      // Act
      const result = await ec2.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-saml',
          Filters: [{ Name: 'username', Values: ['nobody@example.com'] }],
        }),
      );

      // Assess
      expect(result.Connections).toEqual([]);
      expect(result.NextToken).toBeUndefined();
    });
  });

  describe('paging 2,500 connections', () => {
    beforeEach(() => {
      emu.seed(endpointWith('cvpn-endpoint-big', 2_500));
    });

    it('returns 3 pages at MaxResults 1000 with every row exactly once', async () => {
      // Prepare
      const ec2 = ec2Client(emu);
      const pages: number[] = [];
      const ids = new Set<string>();
      let token: string | undefined;

      // Act
      do {
        const page = await ec2.send(
          new DescribeClientVpnConnectionsCommand({
            ClientVpnEndpointId: 'cvpn-endpoint-big',
            MaxResults: 1000,
            NextToken: token,
          }),
        );
        pages.push(page.Connections?.length ?? 0);
        for (const c of page.Connections ?? []) ids.add(c.ConnectionId ?? '');
        token = page.NextToken;
      } while (token);

      // Assess
      expect(pages).toEqual([1000, 1000, 500]);
      expect(ids.size).toBe(2_500);
      expect([...ids].every((id) => /^cvpn-connection-[0-9a-f]{17}$/.test(id))).toBe(true);
    });

    it('works with paginateDescribeClientVpnConnections', async () => {
      // Prepare
      const client = ec2Client(emu);
      const sizes: number[] = [];

      // Act
      for await (const page of paginateDescribeClientVpnConnections(
        { client, pageSize: 1000 },
        { ClientVpnEndpointId: 'cvpn-endpoint-big' },
      )) {
        sizes.push(page.Connections?.length ?? 0);
      }

      // Assess
      expect(sizes).toEqual([1000, 1000, 500]);
      expect(emu.callCounts()['us-east-1:DescribeClientVpnConnections']?.calls).toBe(3);
    });

    it('continues from the token when connections are added between pages', async () => {
      // Prepare
      const client = ec2Client(emu);
      const first = await client.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-big',
          MaxResults: 1000,
        }),
      );
      emu.seed(endpointWith('cvpn-endpoint-big', 1, { username: () => 'late-joiner' }));

      // Act
      const second = await client.send(
        new DescribeClientVpnConnectionsCommand({
          ClientVpnEndpointId: 'cvpn-endpoint-big',
          MaxResults: 1000,
          NextToken: first.NextToken,
        }),
      );

      // Assess
      expect(second.Connections?.[0]?.Username).toBe('user-1000');
      expect(second.NextToken).toEqual(expect.any(String));
    });
  });
});
