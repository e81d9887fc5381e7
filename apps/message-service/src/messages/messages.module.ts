import { Module } from '@nestjs/common';
import { MessageWriter } from './message-writer';
import { MessagesHandler } from './messages.handler';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

@Module({
  providers: [MessagesRepository, MessageWriter, MessagesService, MessagesHandler],
})
export class MessagesModule {}
